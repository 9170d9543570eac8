// Platform face /api/auth/*: bootstrap, login, refresh rotation and reuse detection, per-IP limits,
// one answer for every failed login, developer tokens refused, API-key and Ed25519 device login.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { type Answer, call, freshIp } from '../../testing/platform.js';

const password = 'correct horse battery';

function assertEnvelopeError(res: Answer, status: number, errorCode: string) {
  assert.equal(res.status, status, res.raw);
  assert.equal(res.body.ok, false);
  assert.equal(res.body.errorCode, errorCode);
  assert.equal(res.body.data, null);
  assert.equal(typeof res.body.requestId, 'string');
  assert.equal(typeof res.body.error, 'string');
}

for (const { engine, skip } of await testEngines()) {
  describe(`platform /api/auth (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    const clock = new ManualClock();
    let admin: { username: string; token: string; userId: string };

    const login = (username: string, pw = password, ip = freshIp()) =>
      call(app, 'POST', '/api/auth/login', { body: { username, password: pw }, ip });
    const refresh = (refreshToken: string, ip = freshIp()) => call(app, 'POST', '/api/auth/refresh', { body: { refreshToken }, ip });
    const signup = (username: string, ip: string) =>
      call(app, 'POST', '/api/auth/signup', { body: { username, email: `${username}@example.test`, password }, ip });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('bootstrap creates the first admin on a fresh server and logs in; a second bootstrap is refused', async () => {
      const first = await call(app, 'POST', '/api/auth/bootstrap', {
        body: { username: 'root-admin', password, email: 'Root@Example.test' },
        ip: freshIp(),
      });
      assert.equal(first.status, 201, first.raw);
      assert.equal(first.body.ok, true);
      const { user, accessToken, refreshToken, expiresAt } = first.body.data;
      assert.equal(user.username, 'root-admin');
      assert.equal(user.email, 'root@example.test');
      assert.equal(user.status, 'active');
      assert.equal(new Date(user.createdAt).toISOString(), user.createdAt);
      assert.ok(accessToken && refreshToken && expiresAt);
      assert.ok(!/password|hash/i.test(first.raw), 'no password or hash in the answer');

      const second = await call(app, 'POST', '/api/auth/bootstrap', {
        body: { username: 'second-admin', password, email: 'second@example.test' },
        ip: freshIp(),
      });
      assertEnvelopeError(second, 403, 'FORBIDDEN');

      const me = await call(app, 'GET', '/api/auth/me', { token: accessToken });
      assert.equal(me.status, 200, me.raw);
      assert.equal(me.body.data.id, user.id);
      admin = { username: 'root-admin', token: accessToken, userId: user.id };
    });

    test('login answers tokens, expiry and the user, never a hash', async () => {
      const res = await login(admin.username);
      assert.equal(res.status, 200, res.raw);
      assert.deepEqual(Object.keys(res.body).sort(), ['count', 'data', 'error', 'errorCode', 'hint', 'ok', 'requestId']);
      assert.equal(res.body.data.user.username, admin.username);
      assert.ok(Date.parse(res.body.data.expiresAt) > clock.now());
      assert.equal(res.headers['x-request-id'], res.body.requestId);
      assert.ok(!/hash/i.test(res.raw));
    });

    test('refresh rotates the token; reusing the old one is refused and revokes the whole family', async () => {
      const first = (await login(admin.username)).body.data;
      const rotated = await refresh(first.refreshToken);
      assert.equal(rotated.status, 200, rotated.raw);
      const second = rotated.body.data;
      assert.notEqual(second.refreshToken, first.refreshToken);
      assert.equal(second.user.id, admin.userId);
      assert.equal((await call(app, 'GET', '/api/auth/me', { token: second.accessToken })).status, 200);

      assertEnvelopeError(await refresh(first.refreshToken), 401, 'UNAUTHORIZED');
      assertEnvelopeError(await refresh(second.refreshToken), 401, 'UNAUTHORIZED');

      const other = (await login(admin.username)).body.data;
      assert.equal((await refresh(other.refreshToken)).status, 200, 'another session is not affected');
    });

    test('20 concurrent refreshes with one token: exactly one succeeds', async () => {
      const { refreshToken } = (await login(admin.username)).body.data;
      const ip = freshIp();
      const answers = await Promise.all(Array.from({ length: 20 }, () => refresh(refreshToken, ip)));
      const statuses = answers.map((a) => a.status);
      assert.equal(statuses.filter((s) => s === 200).length, 1, `statuses: ${statuses.join(',')}`);
      assert.equal(statuses.filter((s) => s === 401).length, 19, `statuses: ${statuses.join(',')}`);
    });

    test('the 4th signup from one IP within 5 minutes gets 429 with Retry-After, in envelope form', async () => {
      const ip = freshIp();
      for (const n of [1, 2, 3]) {
        const res = await signup(`limited-${engine}-${n}`, ip);
        assert.equal(res.status, 201, res.raw);
        assert.equal(res.body.data.user.username, `limited-${engine}-${n}`);
      }
      const fourth = await signup(`limited-${engine}-4`, ip);
      assertEnvelopeError(fourth, 429, 'RATE_LIMITED');
      const retryAfter = Number(fourth.headers['retry-after']);
      assert.ok(retryAfter >= 1 && retryAfter <= 300, `Retry-After ${String(fourth.headers['retry-after'])}`);
      assert.equal(typeof fourth.body.hint, 'string');

      assert.equal((await signup(`limited-${engine}-5`, freshIp())).status, 201, 'another address is not limited');
      clock.advance(5 * 60_000);
      assert.equal((await signup(`limited-${engine}-6`, ip)).status, 201, 'the window has passed');
    });

    test('a signup is its own tenant with its own admin', async () => {
      const res = await signup(`own-${engine}`, freshIp());
      assert.equal(res.status, 201, res.raw);
      const me = await call(app, 'GET', '/api/auth/me', { token: res.body.data.accessToken });
      assert.equal(me.body.data.username, `own-${engine}`);
      assert.notEqual(me.body.data.tenantId, (await call(app, 'GET', '/api/auth/me', { token: admin.token })).body.data.tenantId);
      assert.equal((await call(app, 'GET', '/api/users', { token: res.body.data.accessToken })).body.count, 1);
    });

    test('signup validation names the failing field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ username: 'x', email: 'a@b.test', password }, 'username'],
        [{ username: 'has space', email: 'a@b.test', password }, 'username'],
        [{ username: 'fine-name', email: 'no-at-sign', password }, 'email'],
        [{ username: 'fine-name', email: 'a@b.test', password: 'short' }, 'password'],
        [{ username: 'fine-name', email: 'a@b.test' }, 'password'],
      ];
      for (const [body, field] of cases) {
        const res = await call(app, 'POST', '/api/auth/signup', { body, ip: freshIp() });
        assertEnvelopeError(res, 400, 'VALIDATION_FAILED');
        assert.match(res.body.error!, new RegExp(`\\b${field}\\b`), `${JSON.stringify(body)}: ${res.body.error}`);
      }
      const taken = await call(app, 'POST', '/api/auth/signup', {
        body: { username: admin.username, email: 'other@example.test', password },
        ip: freshIp(),
      });
      assertEnvelopeError(taken, 409, 'CONFLICT');
    });

    test('wrong password, unknown user and disabled user get the same answer', async () => {
      const created = await call(app, 'POST', '/api/users', {
        token: admin.token,
        body: { username: `soon-disabled-${engine}`, email: `soon-disabled-${engine}@example.test`, password, role: 'member' },
      });
      assert.equal(created.status, 201, created.raw);
      const disabled = await call(app, 'PUT', `/api/users/${created.body.data.id}`, { token: admin.token, body: { status: 'disabled' } });
      assert.equal(disabled.body.data.status, 'disabled');

      const answers = [
        await login(admin.username, 'not the password'),
        await login('nobody-by-that-name', password),
        await login(`soon-disabled-${engine}`, password),
      ];
      const shape = (a: Answer) => ({ status: a.status, error: a.body.error, errorCode: a.body.errorCode, hint: a.body.hint, data: a.body.data });
      assertEnvelopeError(answers[0]!, 401, 'UNAUTHORIZED');
      assert.deepEqual(shape(answers[1]!), shape(answers[0]!));
      assert.deepEqual(shape(answers[2]!), shape(answers[0]!));
    });

    test('each public auth route is limited per IP', async () => {
      const ip = freshIp();
      let last: Answer | undefined;
      for (let i = 0; i < 31; i++) last = await call(app, 'POST', '/api/auth/refresh', { body: { refreshToken: 'rt_nothing' }, ip });
      assertEnvelopeError(last!, 429, 'RATE_LIMITED');
      assert.ok(last!.headers['retry-after']);
      assert.equal((await login(admin.username, password, freshIp())).status, 200);
    });

    test('a developer token on /api/auth/me is refused with 403 in envelope form', async () => {
      const tenantId = (await call(app, 'GET', '/api/auth/me', { token: admin.token })).body.data.tenantId;
      const { secret } = await app.core.auth.createCredential(tenantId, { kind: 'developer' });
      assert.match(secret, /^clr_dev_/);
      assertEnvelopeError(await call(app, 'GET', '/api/auth/me', { token: secret }), 403, 'FORBIDDEN');
      assertEnvelopeError(await call(app, 'GET', '/api/auth/me', { token: 'clr_dev_not-a-real-token' }), 401, 'UNAUTHORIZED');
    });

    test('API key login: a user-bound platform key gives a session as that user; a tenant key does not', async () => {
      const key = await call(app, 'POST', `/api/users/${admin.userId}/apikey`, { token: admin.token, body: { name: 'ci key' } });
      assert.equal(key.status, 201, key.raw);
      const res = await call(app, 'POST', '/api/auth/apikey', { body: { apiKey: key.body.data.apiKey }, ip: freshIp() });
      assert.equal(res.status, 200, res.raw);
      assert.equal(res.body.data.user.id, admin.userId);
      assert.equal((await call(app, 'GET', '/api/auth/me', { token: res.body.data.accessToken })).body.data.id, admin.userId);

      const tenantId = res.body.data.user.tenantId;
      const tenantKey = await app.core.auth.createCredential(tenantId, { kind: 'platform' });
      assertEnvelopeError(await call(app, 'POST', '/api/auth/apikey', { body: { apiKey: tenantKey.secret }, ip: freshIp() }), 401, 'UNAUTHORIZED');
      assertEnvelopeError(await call(app, 'POST', '/api/auth/apikey', { body: { apiKey: 'atm_nope' }, ip: freshIp() }), 401, 'UNAUTHORIZED');
      assertEnvelopeError(await call(app, 'GET', '/api/auth/me', { apiKey: tenantKey.secret }), 403, 'FORBIDDEN');
    });

    describe('devices', () => {
      const keys = generateKeyPairSync('ed25519');
      const rawPublicKey = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
      const signChallenge = (challenge: string, privateKey = keys.privateKey) =>
        sign(null, Buffer.from(challenge, 'utf8'), privateKey).toString('base64');
      const challengeFor = async (deviceId: string) => {
        const res = await call(app, 'POST', '/api/auth/device/challenge', { body: { deviceId }, ip: freshIp() });
        assert.equal(res.status, 200, res.raw);
        return res.body.data as { challengeId: string; challenge: string; expiresAt: string };
      };
      const deviceLogin = (body: { deviceId: string; challengeId: string; signature: string }) =>
        call(app, 'POST', '/api/auth/device/login', { body, ip: freshIp() });

      test('register, challenge, sign with the Ed25519 private key, log in; the challenge works only once', async () => {
        const registered = await call(app, 'POST', '/api/auth/device', {
          token: admin.token,
          body: { name: 'laptop', publicKey: rawPublicKey, metadata: { os: 'linux' } },
        });
        assert.equal(registered.status, 201, registered.raw);
        const device = registered.body.data;
        assert.equal(device.userId, admin.userId);
        assert.deepEqual(device.metadata, { os: 'linux' });
        assert.equal(device.lastLoginAt, null);

        const c = await challengeFor(device.id);
        assert.ok(Date.parse(c.expiresAt) > clock.now());
        const body = { deviceId: device.id, challengeId: c.challengeId, signature: signChallenge(c.challenge) };
        const first = await deviceLogin(body);
        assert.equal(first.status, 200, first.raw);
        assert.equal(first.body.data.user.id, admin.userId);
        assert.equal((await call(app, 'GET', '/api/auth/me', { token: first.body.data.accessToken })).status, 200);

        assertEnvelopeError(await deviceLogin(body), 401, 'UNAUTHORIZED');
        const seen = await call(app, 'GET', `/api/auth/device/${device.id}`, { token: admin.token });
        assert.equal(seen.body.data.lastLoginAt, new Date(clock.now()).toISOString());
      });

      test('a wrong key, a wrong challenge and an expired challenge are refused alike', async () => {
        const pem = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
        const device = (await call(app, 'POST', '/api/auth/device', { token: admin.token, body: { name: 'pem device', publicKey: pem } })).body.data;
        const stranger = generateKeyPairSync('ed25519').privateKey;

        const c1 = await challengeFor(device.id);
        const wrongKey = await deviceLogin({ deviceId: device.id, challengeId: c1.challengeId, signature: signChallenge(c1.challenge, stranger) });
        assertEnvelopeError(wrongKey, 401, 'UNAUTHORIZED');

        const c2 = await challengeFor(device.id);
        const wrongChallenge = await deviceLogin({ deviceId: device.id, challengeId: c2.challengeId, signature: signChallenge('something else') });
        assert.deepEqual([wrongChallenge.status, wrongChallenge.body.error], [wrongKey.status, wrongKey.body.error]);

        const c3 = await challengeFor(device.id);
        clock.advance(5 * 60_000 + 1);
        const expired = await deviceLogin({ deviceId: device.id, challengeId: c3.challengeId, signature: signChallenge(c3.challenge) });
        assert.deepEqual([expired.status, expired.body.error], [wrongKey.status, wrongKey.body.error]);

        const notAKey = await call(app, 'POST', '/api/auth/device', { token: admin.token, body: { name: 'bad', publicKey: 'AAAA' } });
        assertEnvelopeError(notAKey, 400, 'VALIDATION_FAILED');
        assert.match(notAKey.body.error!, /publicKey/);
        const unknown = await call(app, 'POST', '/api/auth/device/challenge', { body: { deviceId: 'no-such-device' }, ip: freshIp() });
        assertEnvelopeError(unknown, 404, 'NOT_FOUND');
      });

      test('list, rename and delete devices; a deleted device can no longer log in or refresh its session', async () => {
        const token = (await login(admin.username)).body.data.accessToken;
        const device = (await call(app, 'POST', '/api/auth/device', { token, body: { name: 'phone', publicKey: rawPublicKey } })).body.data;
        const list = await call(app, 'GET', '/api/auth/devices', { token });
        assert.equal(list.status, 200);
        assert.ok(list.body.data.some((d: { id: string }) => d.id === device.id));
        assert.equal(list.body.count, list.body.data.length);

        const renamed = await call(app, 'PUT', `/api/auth/device/${device.id}`, { token, body: { name: 'old phone', metadata: { a: 1 } } });
        assert.equal(renamed.status, 200, renamed.raw);
        assert.equal(renamed.body.data.name, 'old phone');
        assert.deepEqual(renamed.body.data.metadata, { a: 1 });

        const c = await challengeFor(device.id);
        const session = (await deviceLogin({ deviceId: device.id, challengeId: c.challengeId, signature: signChallenge(c.challenge) })).body.data;
        const pending = await challengeFor(device.id);

        const removed = await call(app, 'DELETE', `/api/auth/device/${device.id}`, { token });
        assert.equal(removed.status, 200, removed.raw);
        assert.deepEqual(removed.body.data, { id: device.id });
        assertEnvelopeError(await call(app, 'GET', `/api/auth/device/${device.id}`, { token }), 404, 'NOT_FOUND');
        assertEnvelopeError(await call(app, 'DELETE', `/api/auth/device/${device.id}`, { token }), 404, 'NOT_FOUND');
        const late = await deviceLogin({ deviceId: device.id, challengeId: pending.challengeId, signature: signChallenge(pending.challenge) });
        assertEnvelopeError(late, 401, 'UNAUTHORIZED');
        assertEnvelopeError(await refresh(session.refreshToken), 401, 'UNAUTHORIZED');
      });

      test('a tenant key without a user cannot register devices', async () => {
        const tenantId = (await call(app, 'GET', `/api/users/${admin.userId}`, { token: admin.token })).body.data.tenantId;
        const { secret } = await app.core.auth.createCredential(tenantId, { kind: 'platform', scopes: ['admin'] });
        const res = await call(app, 'POST', '/api/auth/device', { apiKey: secret, body: { name: 'x', publicKey: rawPublicKey } });
        assertEnvelopeError(res, 403, 'FORBIDDEN');
      });
    });
  });
}
