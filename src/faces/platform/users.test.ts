// Platform face /api/users, /api/roles, /api/permissions: administration under permissions, the
// caller's own password and profile, per-user platform keys, roles and their permission sets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { allPermissions } from '../../users/permissions.js';
import { createTestApp } from '../../testing/app.js';
import { signUpAdmin } from '../../testing/accounts.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { type Answer, call, freshIp } from '../../testing/platform.js';

const password = 'correct horse battery';

function assertError(res: Answer, status: number, errorCode: string) {
  assert.equal(res.status, status, res.raw);
  assert.equal(res.body.ok, false);
  assert.equal(res.body.errorCode, errorCode);
}

for (const { engine, skip } of await testEngines()) {
  describe(`platform /api/users and /api/roles (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    const clock = new ManualClock();
    let admin: { token: string; userId: string; tenantId: string };
    let n = 0;

    const login = (username: string, pw = password) =>
      call(app, 'POST', '/api/auth/login', { body: { username, password: pw }, ip: freshIp() });
    /** A new user of the admin's tenant, with a session. */
    const newUser = async (role = 'member') => {
      const username = `user-${engine}-${++n}`;
      const created = await call(app, 'POST', '/api/users', {
        token: admin.token,
        body: { username, email: `${username}@example.test`, password, role, displayName: `User ${n}` },
      });
      assert.equal(created.status, 201, created.raw);
      const session = (await login(username)).body.data;
      return { id: created.body.data.id as string, username, token: session.accessToken as string, refreshToken: session.refreshToken as string };
    };

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
      const a = await signUpAdmin(app);
      admin = { token: a.session.accessToken, userId: a.userId, tenantId: a.tenantId };
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('an admin creates, reads, lists, updates and deletes users', async () => {
      const created = await call(app, 'POST', '/api/users', {
        token: admin.token,
        body: { username: `crud-${engine}`, email: `CRUD-${engine}@Example.test`, password, displayName: 'Crud' },
      });
      assert.equal(created.status, 201, created.raw);
      const user = created.body.data;
      assert.equal(user.email, `crud-${engine}@example.test`);
      assert.equal(user.displayName, 'Crud');
      assert.equal(user.tenantId, admin.tenantId);
      assert.ok(!/password|hash/i.test(created.raw));
      const roles = (await call(app, 'GET', '/api/roles', { token: admin.token })).body.data as { id: string; name: string }[];
      assert.equal(user.roleId, roles.find((r) => r.name === 'member')!.id, 'member by default');

      assert.deepEqual((await call(app, 'GET', `/api/users/${user.id}`, { token: admin.token })).body.data, user);
      const byName = await call(app, 'GET', `/api/users/by-username/crud-${engine}`, { token: admin.token });
      assert.equal(byName.status, 200, byName.raw);
      assert.equal(byName.body.data.id, user.id);

      const updated = await call(app, 'PUT', `/api/users/${user.id}`, {
        token: admin.token,
        body: { displayName: 'Renamed', role: 'admin', email: `new-${engine}@example.test` },
      });
      assert.equal(updated.status, 200, updated.raw);
      assert.equal(updated.body.data.displayName, 'Renamed');
      assert.equal(updated.body.data.roleId, roles.find((r) => r.name === 'admin')!.id);

      const removed = await call(app, 'DELETE', `/api/users/${user.id}`, { token: admin.token });
      assert.equal(removed.status, 200, removed.raw);
      assert.equal(removed.body.ok, true);
      assert.deepEqual(removed.body.data, { id: user.id });
      assertError(await call(app, 'GET', `/api/users/${user.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await call(app, 'DELETE', `/api/users/${user.id}`, { token: admin.token }), 404, 'NOT_FOUND');
      assertError(await login(`crud-${engine}`), 401, 'UNAUTHORIZED');
      assertError(await call(app, 'DELETE', `/api/users/${admin.userId}`, { token: admin.token }), 409, 'CONFLICT');
    });

    test('the list pages with limit and offset and counts the total', async () => {
      for (let i = 0; i < 3; i++) await newUser();
      const all = await call(app, 'GET', '/api/users?limit=1000', { token: admin.token });
      assert.equal(all.status, 200, all.raw);
      assert.equal(all.body.count, all.body.data.length);
      const total = all.body.count!;
      assert.ok(total >= 4);
      const page = await call(app, 'GET', '/api/users?limit=2&offset=1', { token: admin.token });
      assert.equal(page.body.count, total);
      assert.deepEqual(
        page.body.data.map((u: { id: string }) => u.id),
        all.body.data.slice(1, 3).map((u: { id: string }) => u.id),
      );
      assertError(await call(app, 'GET', '/api/users?limit=0', { token: admin.token }), 400, 'VALIDATION_FAILED');
      assertError(await call(app, 'GET', '/api/users?limit=1001', { token: admin.token }), 400, 'VALIDATION_FAILED');
      assertError(await call(app, 'GET', '/api/users?offset=-1', { token: admin.token }), 400, 'VALIDATION_FAILED');
    });

    test('a member gets 403 on user and role administration, and may still see and change themself', async () => {
      const member = await newUser('member');
      const other = await newUser('member');
      const memberRole = (await call(app, 'GET', `/api/users/${member.id}`, { token: member.token })).body.data.roleId;
      const forbidden: [string, string, unknown?][] = [
        ['GET', '/api/users'],
        ['POST', '/api/users', { username: 'nope-nope', email: 'nope@example.test', password }],
        ['GET', `/api/users/${other.id}`],
        ['GET', `/api/users/by-username/${other.username}`],
        ['PUT', `/api/users/${other.id}`, { displayName: 'x' }],
        ['PUT', `/api/users/${member.id}`, { role: 'admin' }],
        ['DELETE', `/api/users/${other.id}`],
        ['POST', `/api/users/${other.id}/reset-password`, { newPassword: 'another long one' }],
        ['POST', `/api/users/${member.id}/apikey`, {}],
        ['DELETE', `/api/users/${member.id}/apikey`],
        ['GET', '/api/roles'],
        ['GET', `/api/roles/${memberRole}`],
        ['POST', '/api/roles', { name: 'sneaky' }],
        ['PUT', `/api/roles/${memberRole}`, { description: 'x' }],
        ['PUT', `/api/roles/${memberRole}/permissions`, { permissions: ['UserManage'] }],
        ['DELETE', `/api/roles/${memberRole}`],
        ['GET', '/api/system-logs'],
      ];
      for (const [method, url, body] of forbidden) {
        const res = await call(app, method, url, { token: member.token, ...(body !== undefined ? { body } : {}) });
        assert.equal(res.status, 403, `${method} ${url}: ${res.raw}`);
        assert.equal(res.body.errorCode, 'FORBIDDEN');
      }
      assert.equal((await call(app, 'GET', '/api/auth/me', { token: member.token })).body.data.id, member.id);
      assert.equal((await call(app, 'GET', `/api/users/${member.id}`, { token: member.token })).status, 200);
      assert.equal((await call(app, 'GET', '/api/permissions', { token: member.token })).status, 200);
      const profile = await call(app, 'PUT', '/api/users/me/profile', { token: member.token, body: { displayName: 'Me Myself' } });
      assert.equal(profile.status, 200, profile.raw);
      assert.equal(profile.body.data.displayName, 'Me Myself');
      assert.equal(profile.body.data.id, member.id);
    });

    test('own profile: email is checked, and a taken email is a conflict, not a crash', async () => {
      const user = await newUser();
      const other = await newUser();
      const bad = await call(app, 'PUT', '/api/users/me/profile', { token: user.token, body: { email: 'no-at' } });
      assertError(bad, 400, 'VALIDATION_FAILED');
      assert.match(bad.body.error!, /email/);
      const taken = await call(app, 'PUT', '/api/users/me/profile', { token: user.token, body: { email: `${other.username}@example.test` } });
      assertError(taken, 409, 'CONFLICT');
      const byAdmin = await call(app, 'PUT', `/api/users/${user.id}`, { token: admin.token, body: { email: `${other.username}@example.test` } });
      assertError(byAdmin, 409, 'CONFLICT');
    });

    test('changing your own password needs the current one and ends your refresh tokens', async () => {
      const user = await newUser();
      const wrong = await call(app, 'POST', '/api/users/me/password', {
        token: user.token,
        body: { currentPassword: 'not it at all', newPassword: 'a brand new secret' },
      });
      assertError(wrong, 401, 'UNAUTHORIZED');
      const short = await call(app, 'POST', '/api/users/me/password', {
        token: user.token,
        body: { currentPassword: password, newPassword: 'short' },
      });
      assertError(short, 400, 'VALIDATION_FAILED');
      assert.match(short.body.error!, /newPassword/);

      const changed = await call(app, 'POST', '/api/users/me/password', {
        token: user.token,
        body: { currentPassword: password, newPassword: 'a brand new secret' },
      });
      assert.equal(changed.status, 200, changed.raw);
      assert.equal(changed.body.data, null);
      assertError(await login(user.username), 401, 'UNAUTHORIZED');
      assert.equal((await login(user.username, 'a brand new secret')).status, 200);
      assertError(await call(app, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken }, ip: freshIp() }), 401, 'UNAUTHORIZED');
    });

    test('an admin resets a password: the old one stops working and the user is signed out', async () => {
      const user = await newUser();
      const res = await call(app, 'POST', `/api/users/${user.id}/reset-password`, { token: admin.token, body: { newPassword: 'set by the admin' } });
      assert.equal(res.status, 200, res.raw);
      assertError(await login(user.username), 401, 'UNAUTHORIZED');
      assert.equal((await login(user.username, 'set by the admin')).status, 200);
      assertError(await call(app, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken }, ip: freshIp() }), 401, 'UNAUTHORIZED');
      assertError(
        await call(app, 'POST', '/api/users/no-such-user/reset-password', { token: admin.token, body: { newPassword: 'set by the admin' } }),
        404,
        'NOT_FOUND',
      );
    });

    test('a user-bound platform key works on /api/auth/me and stops working after DELETE /api/users/{id}/apikey', async () => {
      const user = await newUser();
      const issued = await call(app, 'POST', `/api/users/${user.id}/apikey`, { token: admin.token });
      assert.equal(issued.status, 201, issued.raw);
      const key = issued.body.data;
      assert.match(key.apiKey, /^atm_/);
      assert.equal(key.userId, user.id);
      assert.ok(key.apiKey.startsWith(key.prefix));
      const second = (await call(app, 'POST', `/api/users/${user.id}/apikey`, { token: admin.token, body: { name: 'second' } })).body.data;
      assert.equal(second.name, 'second');

      const me = await call(app, 'GET', '/api/auth/me', { apiKey: key.apiKey });
      assert.equal(me.status, 200, me.raw);
      assert.equal(me.body.data.id, user.id);
      assertError(await call(app, 'GET', '/api/users', { apiKey: key.apiKey }), 403, 'FORBIDDEN');
      const stored = await db.database.db.selectFrom('credentials').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
      assert.ok(!JSON.stringify(stored).includes(key.apiKey), 'only the hash is stored');

      const revoked = await call(app, 'DELETE', `/api/users/${user.id}/apikey`, { token: admin.token });
      assert.equal(revoked.status, 200, revoked.raw);
      assert.deepEqual([...revoked.body.data.revoked].sort(), [key.id, second.id].sort());
      assertError(await call(app, 'GET', '/api/auth/me', { apiKey: key.apiKey }), 401, 'UNAUTHORIZED');
      assertError(await call(app, 'GET', '/api/auth/me', { apiKey: second.apiKey }), 401, 'UNAUTHORIZED');
      assert.deepEqual((await call(app, 'DELETE', `/api/users/${user.id}/apikey`, { token: admin.token })).body.data, { revoked: [] });
    });

    test('a key with an expiry stops at that instant; a key of a disabled user stops too', async () => {
      const user = await newUser();
      const expiresAt = new Date(clock.now() + 60_000).toISOString();
      const key = (await call(app, 'POST', `/api/users/${user.id}/apikey`, { token: admin.token, body: { expiresAt } })).body.data;
      assert.equal(key.expiresAt, expiresAt);
      assert.equal((await call(app, 'GET', '/api/auth/me', { apiKey: key.apiKey })).status, 200);
      clock.advance(60_000);
      assertError(await call(app, 'GET', '/api/auth/me', { apiKey: key.apiKey }), 401, 'UNAUTHORIZED');

      const lasting = (await call(app, 'POST', `/api/users/${user.id}/apikey`, { token: admin.token })).body.data;
      assert.equal(lasting.expiresAt, null);
      await call(app, 'PUT', `/api/users/${user.id}`, { token: admin.token, body: { status: 'disabled' } });
      assertError(await call(app, 'GET', '/api/auth/me', { apiKey: lasting.apiKey }), 401, 'UNAUTHORIZED');
      assertError(await call(app, 'GET', '/api/auth/me', { token: user.token }), 401, 'UNAUTHORIZED');
    });

    test('roles: system roles listed, custom roles created, renamed, given permissions, assigned and deleted', async () => {
      const list = await call(app, 'GET', '/api/roles', { token: admin.token });
      assert.equal(list.status, 200, list.raw);
      assert.equal(list.body.count, list.body.data.length);
      const adminRole = list.body.data.find((r: { name: string }) => r.name === 'admin');
      const memberRole = list.body.data.find((r: { name: string }) => r.name === 'member');
      assert.ok(adminRole.isSystem && memberRole.isSystem);
      assert.deepEqual([...adminRole.permissions].sort(), [...allPermissions].sort());

      const created = await call(app, 'POST', '/api/roles', {
        token: admin.token,
        body: { name: 'auditor', description: 'Reads logs', permissions: ['SystemLogView'] },
      });
      assert.equal(created.status, 201, created.raw);
      const role = created.body.data;
      assert.deepEqual(role.permissions, ['SystemLogView']);
      assert.equal(role.isSystem, false);
      assertError(await call(app, 'POST', '/api/roles', { token: admin.token, body: { name: 'auditor' } }), 409, 'CONFLICT');
      const unknown = await call(app, 'POST', '/api/roles', { token: admin.token, body: { name: 'weird', permissions: ['Everything'] } });
      assertError(unknown, 400, 'VALIDATION_FAILED');
      assert.match(unknown.body.error!, /Everything/);
      assertError(await call(app, 'POST', '/api/roles', { token: admin.token, body: { name: '' } }), 400, 'VALIDATION_FAILED');

      const renamed = await call(app, 'PUT', `/api/roles/${role.id}`, { token: admin.token, body: { name: 'viewer', description: null } });
      assert.equal(renamed.status, 200, renamed.raw);
      assert.equal(renamed.body.data.name, 'viewer');
      assert.equal(renamed.body.data.description, null);
      assertError(await call(app, 'PUT', `/api/roles/${role.id}`, { token: admin.token, body: { name: 'member' } }), 409, 'CONFLICT');
      assertError(await call(app, 'PUT', `/api/roles/${memberRole.id}`, { token: admin.token, body: { name: 'members' } }), 409, 'CONFLICT');

      const perms = await call(app, 'PUT', `/api/roles/${role.id}/permissions`, {
        token: admin.token,
        body: { permissions: ['UserView', 'RoleView', 'UserView'] },
      });
      assert.equal(perms.status, 200, perms.raw);
      assert.deepEqual([...perms.body.data.permissions].sort(), ['RoleView', 'UserView']);
      assert.deepEqual((await call(app, 'GET', `/api/roles/${role.id}`, { token: admin.token })).body.data, perms.body.data);
      const adminPerms = await call(app, 'PUT', `/api/roles/${adminRole.id}/permissions`, { token: admin.token, body: { permissions: [] } });
      assertError(adminPerms, 409, 'CONFLICT');

      const viewer = await newUser('viewer');
      assert.equal((await call(app, 'GET', '/api/users', { token: viewer.token })).status, 200, 'the role grants UserView');
      assertError(await call(app, 'POST', '/api/roles', { token: viewer.token, body: { name: 'x' } }), 403, 'FORBIDDEN');

      assertError(await call(app, 'DELETE', `/api/roles/${role.id}`, { token: admin.token }), 409, 'CONFLICT');
      assertError(await call(app, 'DELETE', `/api/roles/${memberRole.id}`, { token: admin.token }), 409, 'CONFLICT');
      await call(app, 'DELETE', `/api/users/${viewer.id}`, { token: admin.token });
      const deleted = await call(app, 'DELETE', `/api/roles/${role.id}`, { token: admin.token });
      assert.equal(deleted.status, 200, deleted.raw);
      assert.deepEqual(deleted.body.data, { id: role.id });
      assertError(await call(app, 'GET', `/api/roles/${role.id}`, { token: admin.token }), 404, 'NOT_FOUND');
    });

    test('/api/permissions lists the whole catalogue with descriptions', async () => {
      const res = await call(app, 'GET', '/api/permissions', { token: admin.token });
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.count, allPermissions.length);
      assert.deepEqual(res.body.data.map((p: { name: string }) => p.name).sort(), [...allPermissions].sort());
      for (const p of res.body.data) assert.ok(p.description.length > 0);
    });

    test('static segments win over {id}: me/password, me/profile and by-username are not user ids', async () => {
      const user = await newUser();
      const byName = await call(app, 'GET', `/api/users/by-username/${user.username}`, { token: admin.token });
      assert.equal(byName.body.data.id, user.id);
      assertError(await call(app, 'GET', '/api/users/by-username/nobody-here', { token: admin.token }), 404, 'NOT_FOUND');
      const profile = await call(app, 'PUT', '/api/users/me/profile', { token: user.token, body: {} });
      assert.equal(profile.body.data.id, user.id);
    });

    test('a tenant key without a user cannot use the "me" routes', async () => {
      const { secret } = await app.core.auth.createCredential(admin.tenantId, { kind: 'platform', scopes: ['admin'] });
      assert.equal((await call(app, 'GET', '/api/users', { apiKey: secret })).status, 200, 'admin scope lists users');
      assertError(await call(app, 'PUT', '/api/users/me/profile', { apiKey: secret, body: { displayName: 'x' } }), 403, 'FORBIDDEN');
      assertError(
        await call(app, 'POST', '/api/users/me/password', { apiKey: secret, body: { currentPassword: password, newPassword: 'whatever long' } }),
        403,
        'FORBIDDEN',
      );
    });
  });
}
