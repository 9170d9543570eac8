// Tenants are walled off on the platform face: every by-id route answers 404 for another tenant's rows,
// for every kind of caller, and leaves those rows untouched. Add a row to `byId` for each new by-id route.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { createTestApp } from '../../testing/app.js';
import { signUpAdmin } from '../../testing/accounts.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { type CallOptions, call } from '../../testing/platform.js';

/** Rows of tenant B that tenant A's callers try to reach. */
interface Victim {
  userId: string;
  username: string;
  roleId: string;
  deviceId: string;
  logId: string;
  identityId: string;
  identityName: string;
  identityKeyId: string;
}

/** `ownOnly`: the route acts on the caller's own rows, so a key without a user is refused (403) before any lookup. */
const byId: { what: string; method: string; url: (b: Victim) => string; body?: unknown; ownOnly?: boolean }[] = [
  { what: 'get a user', method: 'GET', url: (b) => `/api/users/${b.userId}` },
  { what: 'get a user by username', method: 'GET', url: (b) => `/api/users/by-username/${b.username}` },
  { what: 'update a user', method: 'PUT', url: (b) => `/api/users/${b.userId}`, body: { displayName: 'taken over', status: 'disabled' } },
  { what: 'delete a user', method: 'DELETE', url: (b) => `/api/users/${b.userId}` },
  { what: "reset a user's password", method: 'POST', url: (b) => `/api/users/${b.userId}/reset-password`, body: { newPassword: 'taken over now' } },
  { what: 'issue a key for a user', method: 'POST', url: (b) => `/api/users/${b.userId}/apikey`, body: {} },
  { what: "revoke a user's keys", method: 'DELETE', url: (b) => `/api/users/${b.userId}/apikey` },
  { what: 'get a role', method: 'GET', url: (b) => `/api/roles/${b.roleId}` },
  { what: 'update a role', method: 'PUT', url: (b) => `/api/roles/${b.roleId}`, body: { name: 'taken-over' } },
  { what: "set a role's permissions", method: 'PUT', url: (b) => `/api/roles/${b.roleId}/permissions`, body: { permissions: [] } },
  { what: 'delete a role', method: 'DELETE', url: (b) => `/api/roles/${b.roleId}` },
  { what: 'get a device', method: 'GET', url: (b) => `/api/auth/device/${b.deviceId}`, ownOnly: true },
  { what: 'update a device', method: 'PUT', url: (b) => `/api/auth/device/${b.deviceId}`, body: { name: 'taken over' }, ownOnly: true },
  { what: 'delete a device', method: 'DELETE', url: (b) => `/api/auth/device/${b.deviceId}`, ownOnly: true },
  { what: 'get a log entry', method: 'GET', url: (b) => `/api/system-logs/${b.logId}` },
  { what: 'get an identity', method: 'GET', url: (b) => `/api/identities/${b.identityId}` },
  { what: 'get an identity by name', method: 'GET', url: (b) => `/api/identities/by-name/${b.identityName}` },
  { what: "get a user's identity", method: 'GET', url: (b) => `/api/identities/by-user/${b.userId}` },
  { what: 'update an identity', method: 'PUT', url: (b) => `/api/identities/${b.identityId}`, body: { displayName: 'taken over' } },
  { what: "set an identity's presence", method: 'PUT', url: (b) => `/api/identities/${b.identityId}/presence`, body: { presence: 'hijacked' } },
  { what: 'delete an identity', method: 'DELETE', url: (b) => `/api/identities/${b.identityId}` },
  { what: "list an identity's keys", method: 'GET', url: (b) => `/api/identities/${b.identityId}/api-keys` },
  { what: 'issue a key for an identity', method: 'POST', url: (b) => `/api/identities/${b.identityId}/api-keys`, body: { name: 'k', scopes: [] } },
  { what: "revoke an identity's key", method: 'DELETE', url: (b) => `/api/identities/${b.identityId}/api-keys/${b.identityKeyId}` },
];

for (const { engine, skip } of await testEngines()) {
  describe(`platform face: tenant A cannot reach tenant B (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let b: Victim;
    let bToken: string;
    let bUserKey: string;
    let bUserToken: string;
    let bIdentityKey: string;
    const actors: { name: string; auth: CallOptions; isUser: boolean }[] = [];

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db);
      const adminA = await signUpAdmin(app);
      const adminB = await signUpAdmin(app);
      bToken = adminB.session.accessToken;
      const keyA = await app.core.auth.createCredential(adminA.tenantId, { kind: 'platform', scopes: ['admin'] });
      const userKeyA = await call(app, 'POST', `/api/users/${adminA.userId}/apikey`, { token: adminA.session.accessToken });
      actors.push(
        { name: "A's admin (session)", auth: { token: adminA.session.accessToken }, isUser: true },
        { name: "A's admin-scoped tenant key", auth: { apiKey: keyA.secret }, isUser: false },
        { name: "A's admin's own user key", auth: { apiKey: userKeyA.body.data.apiKey }, isUser: true },
      );

      const username = `victim-${engine}-${process.pid}`;
      const user = await call(app, 'POST', '/api/users', {
        token: bToken,
        body: { username, email: `${username}@example.test`, password: 'the original password', displayName: 'Victim' },
      });
      const role = await call(app, 'POST', '/api/roles', { token: bToken, body: { name: 'b-only', permissions: ['MemoryView'] } });
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
      const device = await call(app, 'POST', '/api/auth/device', { token: bToken, body: { name: 'b device', publicKey } });
      bUserKey = (await call(app, 'POST', `/api/users/${user.body.data.id}/apikey`, { token: bToken })).body.data.apiKey;
      bUserToken = (await app.core.accounts.login(username, 'the original password')).accessToken;
      const identityName = `victim-identity-${engine}-${process.pid}`;
      const identity = await call(app, 'POST', '/api/identities', {
        token: bToken,
        body: { name: identityName, displayName: 'Victim identity', type: 'AI', linkedUserId: user.body.data.id },
      });
      const identityKey = await call(app, 'POST', `/api/identities/${identity.body.data.id}/api-keys`, {
        token: bToken,
        body: { name: 'b identity key', scopes: ['IdentityView'] },
      });
      bIdentityKey = identityKey.body.data.apiKey;
      await app.core.callLog.flush();
      const logs = await call(app, 'GET', '/api/system-logs?limit=1', { token: bToken });
      b = {
        userId: user.body.data.id,
        username,
        roleId: role.body.data.id,
        deviceId: device.body.data.id,
        logId: logs.body.data[0].id,
        identityId: identity.body.data.id,
        identityName,
        identityKeyId: identityKey.body.data.id,
      };
      assert.ok(b.userId && b.roleId && b.deviceId && b.logId && b.identityId && b.identityKeyId, 'tenant B is set up');
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test("every by-id route answers 404 for tenant B's rows", async () => {
      for (const actor of actors) {
        for (const row of byId) {
          const res = await call(app, row.method, row.url(b), { ...actor.auth, ...(row.body !== undefined ? { body: row.body } : {}) });
          const [status, code] = row.ownOnly && !actor.isUser ? [403, 'FORBIDDEN'] : [404, 'NOT_FOUND'];
          assert.equal(res.status, status, `${actor.name}: ${row.what} (${row.method} ${row.url(b)}): ${res.raw}`);
          assert.equal(res.body.ok, false);
          assert.equal(res.body.errorCode, code);
        }
      }
    });

    test("tenant B's rows are untouched and its credentials still work", async () => {
      const user = await call(app, 'GET', `/api/users/${b.userId}`, { token: bToken });
      assert.equal(user.body.data.displayName, 'Victim');
      assert.equal(user.body.data.status, 'active');
      const role = await call(app, 'GET', `/api/roles/${b.roleId}`, { token: bToken });
      assert.deepEqual([role.body.data.name, role.body.data.permissions], ['b-only', ['MemoryView']]);
      assert.equal((await call(app, 'GET', `/api/auth/device/${b.deviceId}`, { token: bToken })).body.data.name, 'b device');
      assert.equal((await call(app, 'GET', `/api/system-logs/${b.logId}`, { token: bToken })).status, 200);
      assert.equal((await call(app, 'GET', '/api/auth/me', { apiKey: bUserKey })).body.data.id, b.userId);
      assert.equal((await call(app, 'GET', '/api/auth/me', { token: bUserToken })).body.data.id, b.userId);
      assert.ok(await app.core.accounts.login(b.username, 'the original password'));
      const identity = await call(app, 'GET', `/api/identities/${b.identityId}`, { apiKey: bIdentityKey });
      assert.deepEqual([identity.status, identity.body.data.displayName, identity.body.data.presence], [200, 'Victim identity', 'offline']);
    });

    test("lists never show tenant B's rows, and B's role cannot be given to A's users", async () => {
      for (const [i, actor] of actors.slice(0, 2).entries()) {
        const users = await call(app, 'GET', '/api/users?limit=1000', actor.auth);
        assert.ok(!users.body.data.some((u: { id: string }) => u.id === b.userId), actor.name);
        const roles = await call(app, 'GET', '/api/roles', actor.auth);
        assert.ok(!roles.body.data.some((r: { id: string }) => r.id === b.roleId), actor.name);
        const identities = await call(app, 'GET', '/api/identities?limit=1000', actor.auth);
        assert.ok(!identities.body.data.some((i: { id: string }) => i.id === b.identityId), actor.name);
        const logs = await call(app, 'GET', `/api/system-logs?userId=${b.userId}`, actor.auth);
        assert.equal(logs.body.count, 0, actor.name);
        const assigned = await call(app, 'POST', '/api/users', {
          ...actor.auth,
          body: { username: `a-user-${i}-${engine}`, email: `a-user-${i}-${engine}@example.test`, password: 'long enough pw', role: b.roleId },
        });
        assert.equal(assigned.status, 400, assigned.raw);
      }
    });
  });
}
