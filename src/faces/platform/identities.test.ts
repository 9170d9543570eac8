// Platform face /api/identities: CRUD and lookups, soft delete, per-tenant names, permissions, and keys
// that act as an identity (X-Identity-Id, the call log).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { createTestApp } from '../../testing/app.js';
import { signUpAdmin } from '../../testing/accounts.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { type Answer, call, freshIp } from '../../testing/platform.js';

function assertError(res: Answer, status: number, errorCode: string) {
  assert.equal(res.status, status, res.raw);
  assert.equal(res.body.ok, false);
  assert.equal(res.body.errorCode, errorCode);
}

for (const { engine, skip } of await testEngines()) {
  describe(`platform /api/identities (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let admin: { token: string; userId: string; tenantId: string };
    let n = 0;

    const create = async (body: Record<string, unknown> = {}) => {
      const res = await call(app, 'POST', '/api/identities', { token: admin.token, body: { name: `ident-${engine}-${++n}`, type: 'AI', ...body } });
      assert.equal(res.status, 201, res.raw);
      return res.body.data as { id: string; name: string; subjectId: string };
    };

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      const a = await signUpAdmin(app);
      admin = { token: a.session.accessToken, userId: a.userId, tenantId: a.tenantId };
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('an admin creates, reads, lists, updates, sets presence and deletes an identity', async () => {
      const created = await call(app, 'POST', '/api/identities', {
        token: admin.token,
        body: { name: `crud-${engine}`, displayName: 'Crud', bio: 'A test', origin: 'tests', type: 'AI', linkedUserId: admin.userId },
      });
      assert.equal(created.status, 201, created.raw);
      const identity = created.body.data;
      assert.equal(identity.tenantId, admin.tenantId);
      assert.equal(identity.presence, 'offline');
      assert.equal(identity.linkedUserId, admin.userId);
      const subject = await app.core.subjects.get(admin.tenantId, identity.subjectId);
      assert.equal(subject.kind, 'identity', 'its memory is a subject of kind identity');

      assert.deepEqual((await call(app, 'GET', `/api/identities/${identity.id}`, { token: admin.token })).body.data, identity);
      assert.equal((await call(app, 'GET', `/api/identities/by-name/crud-${engine}`, { token: admin.token })).body.data.id, identity.id);
      assert.equal((await call(app, 'GET', `/api/identities/by-user/${admin.userId}`, { token: admin.token })).body.data.id, identity.id);
      const list = await call(app, 'GET', '/api/identities', { token: admin.token });
      assert.ok(list.body.data.some((i: { id: string }) => i.id === identity.id));
      assert.equal(list.body.count, list.body.data.length);

      const updated = await call(app, 'PUT', `/api/identities/${identity.id}`, { token: admin.token, body: { displayName: 'Renamed', type: 'System' } });
      assert.equal(updated.status, 200, updated.raw);
      assert.deepEqual([updated.body.data.displayName, updated.body.data.type, updated.body.data.bio], ['Renamed', 'System', 'A test']);
      assert.equal((await app.core.subjects.get(admin.tenantId, identity.subjectId)).displayName, 'Renamed');
      const present = await call(app, 'PUT', `/api/identities/${identity.id}/presence`, { token: admin.token, body: { presence: 'online' } });
      assert.equal(present.body.data.presence, 'online');

      const deleted = await call(app, 'DELETE', `/api/identities/${identity.id}`, { token: admin.token });
      assert.equal(deleted.status, 200, deleted.raw);
      assertError(await call(app, 'GET', `/api/identities/${identity.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await call(app, 'GET', `/api/identities/by-name/crud-${engine}`, { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await call(app, 'GET', `/api/identities/by-user/${admin.userId}`, { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await call(app, 'DELETE', `/api/identities/${identity.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      const remaining = await call(app, 'GET', '/api/identities', { token: admin.token });
      assert.ok(!remaining.body.data.some((i: { id: string }) => i.id === identity.id));
      assert.ok(await app.core.subjects.get(admin.tenantId, identity.subjectId), 'its memory stays');
    });

    test('names are unique per tenant among live identities', async () => {
      const first = await create({ name: `taken-${engine}` });
      assertError(await call(app, 'POST', '/api/identities', { token: admin.token, body: { name: `taken-${engine}`, type: 'Human' } }), 409, 'CONFLICT');
      const other = await create();
      assertError(await call(app, 'PUT', `/api/identities/${other.id}`, { token: admin.token, body: { name: `taken-${engine}` } }), 409, 'CONFLICT');
      const otherTenant = await signUpAdmin(app);
      const elsewhere = await call(app, 'POST', '/api/identities', {
        token: otherTenant.session.accessToken,
        body: { name: `taken-${engine}`, type: 'AI' },
      });
      assert.equal(elsewhere.status, 201, 'another tenant may use the name');
      await call(app, 'DELETE', `/api/identities/${first.id}`, { token: admin.token });
      await create({ name: `taken-${engine}` });
    });

    test('bad input is refused: unknown type, a linked user of no one', async () => {
      assertError(await call(app, 'POST', '/api/identities', { token: admin.token, body: { name: 'x', type: 'Robot' } }), 400, 'VALIDATION_FAILED');
      assertError(
        await call(app, 'POST', '/api/identities', { token: admin.token, body: { name: 'y', type: 'AI', linkedUserId: 'nobody' } }),
        400,
        'VALIDATION_FAILED',
      );
    });

    test('without IdentityManage a caller reads but cannot write', async () => {
      const identity = await create();
      await call(app, 'POST', '/api/roles', { token: admin.token, body: { name: `viewer-${engine}`, permissions: ['IdentityView'] } });
      const username = `viewer-${engine}`;
      await call(app, 'POST', '/api/users', {
        token: admin.token,
        body: { username, email: `${username}@example.test`, password: 'correct horse battery', role: `viewer-${engine}` },
      });
      const token = (await call(app, 'POST', '/api/auth/login', { body: { username, password: 'correct horse battery' }, ip: freshIp() })).body.data
        .accessToken as string;
      assert.equal((await call(app, 'GET', `/api/identities/${identity.id}`, { token })).status, 200);
      const writes: [string, string, unknown?][] = [
        ['POST', '/api/identities', { name: `nope-${engine}`, type: 'AI' }],
        ['PUT', `/api/identities/${identity.id}`, { bio: 'nope' }],
        ['PUT', `/api/identities/${identity.id}/presence`, { presence: 'online' }],
        ['DELETE', `/api/identities/${identity.id}`],
        ['GET', `/api/identities/${identity.id}/api-keys`],
        ['POST', `/api/identities/${identity.id}/api-keys`, { name: 'k', scopes: [] }],
      ];
      for (const [method, url, body] of writes) {
        assertError(await call(app, method, url, { token, ...(body !== undefined ? { body } : {}) }), 403, 'FORBIDDEN');
      }
    });

    test("an identity's key acts as it: X-Identity-Id, scoped permissions, call log, revocation", async () => {
      const identity = await create();
      const issued = await call(app, 'POST', `/api/identities/${identity.id}/api-keys`, {
        token: admin.token,
        body: { name: 'agent key', scopes: ['IdentityView'] },
      });
      assert.equal(issued.status, 201, issued.raw);
      const key = issued.body.data;
      assert.match(key.apiKey, /^atm_/);
      assert.equal(key.identityId, identity.id);

      const read = await call(app, 'GET', `/api/identities/${identity.id}`, { apiKey: key.apiKey });
      assert.equal(read.status, 200, read.raw);
      assert.equal(read.headers['x-identity-id'], identity.id);
      assert.equal((await call(app, 'GET', `/api/identities/${identity.id}`, { token: admin.token })).headers['x-identity-id'], undefined);
      assertError(await call(app, 'PUT', `/api/identities/${identity.id}`, { apiKey: key.apiKey, body: { bio: 'x' } }), 403, 'FORBIDDEN');

      await app.core.callLog.flush();
      const logs = await call(app, 'GET', `/api/system-logs?identityId=${identity.id}`, { token: admin.token });
      assert.ok(logs.body.count! >= 1, logs.raw);
      assert.equal(logs.body.data[0].apiKeyId, key.id);

      const list = await call(app, 'GET', `/api/identities/${identity.id}/api-keys`, { token: admin.token });
      assert.deepEqual(
        list.body.data.map((k: { id: string }) => k.id),
        [key.id],
      );
      assert.equal(list.body.data[0].prefix, key.prefix);
      assert.ok(!list.raw.includes(key.apiKey), 'the list shows the prefix only');

      const other = await create();
      assertError(await call(app, 'DELETE', `/api/identities/${other.id}/api-keys/${key.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      assert.equal((await call(app, 'GET', `/api/identities/${identity.id}`, { apiKey: key.apiKey })).status, 200, "still live after another identity's revoke");

      const revoked = await call(app, 'DELETE', `/api/identities/${identity.id}/api-keys/${key.id}`, { token: admin.token });
      assert.equal(revoked.status, 200, revoked.raw);
      assertError(await call(app, 'GET', `/api/identities/${identity.id}`, { apiKey: key.apiKey }), 401, 'UNAUTHORIZED');
      assert.equal((await call(app, 'GET', `/api/identities/${identity.id}/api-keys`, { token: admin.token })).body.count, 0);
    });

    test('a key cannot grant more than its issuer holds; deleting the identity revokes its keys', async () => {
      const identity = await create();
      assertError(
        await call(app, 'POST', `/api/identities/${identity.id}/api-keys`, { token: admin.token, body: { name: 'k', scopes: ['Wizardry'] } }),
        400,
        'VALIDATION_FAILED',
      );
      const scoped = await call(app, 'POST', `/api/identities/${identity.id}/api-keys`, {
        token: admin.token,
        body: { name: 'manager', scopes: ['IdentityView', 'IdentityManage'] },
      });
      const managerKey = scoped.body.data.apiKey as string;
      assertError(
        await call(app, 'POST', `/api/identities/${identity.id}/api-keys`, { apiKey: managerKey, body: { name: 'k', scopes: ['admin'] } }),
        403,
        'FORBIDDEN',
      );
      await call(app, 'DELETE', `/api/identities/${identity.id}`, { token: admin.token });
      assertError(await call(app, 'GET', '/api/identities', { apiKey: managerKey }), 401, 'UNAUTHORIZED');
    });
  });
}
