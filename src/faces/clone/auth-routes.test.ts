// Recording-face account routes over HTTP on both engines: sessions, per-IP limits, clone_ keys,
// invites, the waitlist, and that no user reaches another user's rows.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { signupLimit } from '../../auth/accounts.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

type Method = 'GET' | 'POST' | 'DELETE';
const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const password = 'correct horse battery';

/** Rows user A owns, made through A's own credentials. Later issues add theirs (events, facts, …). */
interface Owned {
  apiKeyId: string;
}

/** Requests at another user's rows: each must answer 404, as if the row did not exist. */
const othersRowsNotFound: { what: string; method: Method; url: (a: Owned) => string; payload?: unknown }[] = [
  { what: 'revoke their API key', method: 'DELETE', url: (a) => `/api/auth/api-keys/${a.apiKeyId}/` },
];

/** Lists that must not show another user's rows. */
const othersRowsNotListed: { what: string; url: string; ids: (a: Owned) => string[] }[] = [
  { what: 'API keys', url: '/api/auth/api-keys/', ids: (a) => [a.apiKeyId] },
];

for (const { engine, skip } of await testEngines()) {
  describe(`recording face: /api/auth/ routes (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    const clock = new ManualClock();
    let ipCount = 0;
    let nameCount = 0;
    /** Every test gets its own client address, so the per-IP limits of one test don't touch another. */
    const freshIp = () => `10.1.${Math.floor(ipCount / 200)}.${(ipCount++ % 200) + 1}`;
    const uniqueName = (base: string) => `${base}-${++nameCount}`;

    const call = (method: Method, url: string, options: { headers?: Record<string, string>; payload?: unknown; ip?: string } = {}) =>
      app.http.inject({
        method,
        url,
        headers: options.headers ?? {},
        remoteAddress: options.ip ?? freshIp(),
        ...(options.payload !== undefined ? { payload: options.payload as object } : {}),
      });
    const bearer = (access: string) => ({ authorization: `Bearer ${access}` });
    const cloneKey = (key: string) => ({ 'x-clone-api-key': key });

    async function signUp(base = 'user', extra: Record<string, string> = {}) {
      const username = uniqueName(base);
      const res = await call('POST', '/api/auth/signup/', { payload: { username, email: `${username}@example.test`, password, ...extra } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { user: { id: string; tenant_id: string; username: string }; access: string; refresh: string; expires_at: string };
    }

    /** A member placed straight into a tenant through the core, as an accepted invite would. */
    async function joinAsMember(tenantId: string, base: string) {
      const username = uniqueName(base);
      const user = await app.core.users.createUnchecked(tenantId, { username, email: `${username}@example.test`, password, role: 'member' });
      return app.core.accounts.startSession(user);
    }

    async function createKey(headers: Record<string, string>, name = 'laptop') {
      const res = await call('POST', '/api/auth/api-keys/', { headers, payload: { name } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; key: string; prefix: string; name: string };
    }

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('signup answers 201 with a session whose access token opens me/', async () => {
      const session = await signUp('ada');
      assert.deepEqual(Object.keys(session).sort(), ['access', 'expires_at', 'refresh', 'user']);
      assert.match(session.expires_at, iso);
      const me = await call('GET', '/api/auth/me/', { headers: bearer(session.access) });
      assert.equal(me.statusCode, 200, me.body);
      const user = me.json();
      assert.equal(user.id, session.user.id);
      assert.equal(user.username, session.user.username);
      assert.equal(user.tenant_id, session.user.tenant_id);
      assert.match(user.created_at, iso);
      assert.ok(!('password' in user) && !JSON.stringify(user).includes('scrypt'), 'no password material in the user');
    });

    test('login answers 200 with the same shape; a wrong password is a 401 in the face format', async () => {
      const { user } = await signUp('grace');
      const res = await call('POST', '/api/auth/login/', { payload: { username: user.username, password } });
      assert.equal(res.statusCode, 200, res.body);
      const session = res.json();
      assert.equal(session.user.id, user.id);
      assert.match(session.user.last_login_at, iso);
      assert.equal((await call('GET', '/api/auth/me/', { headers: bearer(session.access) })).statusCode, 200);

      const wrong = await call('POST', '/api/auth/login/', { payload: { username: user.username, password: 'not the password' } });
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual(Object.keys(wrong.json()).sort(), ['code', 'error']);
      assert.equal(wrong.json().code, 'unauthorized');
    });

    test('refresh rotates the pair: the new one works, the old refresh token is refused', async () => {
      const first = await signUp('linus');
      const res = await call('POST', '/api/auth/refresh/', { payload: { refresh: first.refresh } });
      assert.equal(res.statusCode, 200, res.body);
      const second = res.json();
      assert.notEqual(second.refresh, first.refresh);
      assert.equal(second.user.id, first.user.id);
      assert.equal((await call('GET', '/api/auth/me/', { headers: bearer(second.access) })).statusCode, 200);

      const replay = await call('POST', '/api/auth/refresh/', { payload: { refresh: first.refresh } });
      assert.equal(replay.statusCode, 401);
      assert.equal(replay.json().code, 'unauthorized');
    });

    test('signup validation errors are 400s naming the field', async () => {
      const good = () => {
        const username = uniqueName('valid');
        return { username, email: `${username}@example.test`, password };
      };
      const cases: [field: string, body: Record<string, unknown>][] = [
        ['username', { ...good(), username: 'no spaces allowed' }],
        ['username', { ...good(), username: 'ab' }],
        ['email', { ...good(), email: 'no-at-sign' }],
        ['password', { ...good(), password: 'short' }],
        ['username', { email: 'missing@example.test', password }],
        ['email', { username: uniqueName('noemail'), password }],
        ['password', { username: uniqueName('nopw'), email: 'nopw@example.test' }],
      ];
      for (const [field, payload] of cases) {
        const res = await call('POST', '/api/auth/signup/', { payload });
        assert.equal(res.statusCode, 400, `${field}: ${res.body}`);
        const body = res.json();
        assert.equal(body.code, 'validation_failed');
        assert.equal(typeof body.error, 'string');
        assert.match(body.error, new RegExp(`\\b${field}\\b`), `the error names ${field}: ${body.error}`);
      }
    });

    test('a fourth signup from one address within five minutes is a 429 with Retry-After', async () => {
      clock.set(Math.ceil(clock.now() / signupLimit.windowMs) * signupLimit.windowMs);
      const ip = freshIp();
      const attempt = () => {
        const username = uniqueName('burst');
        return call('POST', '/api/auth/signup/', { ip, payload: { username, email: `${username}@example.test`, password } });
      };
      for (let i = 0; i < signupLimit.max; i++) assert.equal((await attempt()).statusCode, 201);
      clock.advance(signupLimit.windowMs - 60_000);
      const limited = await attempt();
      assert.equal(limited.statusCode, 429, limited.body);
      assert.equal(limited.json().code, 'rate_limited');
      assert.equal(limited.headers['retry-after'], '60');
      assert.equal((await call('POST', '/api/auth/signup/', { payload: { username: uniqueName('elsewhere'), email: 'elsewhere@example.test', password } })).statusCode, 201, 'other addresses are not limited');
      clock.advance(60_000);
      assert.equal((await attempt()).statusCode, 201, 'the next window opens again');
    });

    test('a clone_ key: created once with its secret, opens me/, is listed without it, and dies on delete', async () => {
      const session = await signUp('keys');
      const created = await createKey(bearer(session.access), 'recorder');
      assert.match(created.key, /^clone_[A-Za-z0-9_-]{43}$/);
      assert.ok(created.key.startsWith(created.prefix));
      assert.equal(created.name, 'recorder');

      const me = await call('GET', '/api/auth/me/', { headers: cloneKey(created.key) });
      assert.equal(me.statusCode, 200, me.body);
      assert.equal(me.json().id, session.user.id);

      const list = await call('GET', '/api/auth/api-keys/', { headers: bearer(session.access) });
      assert.equal(list.statusCode, 200, list.body);
      assert.ok(!list.body.includes(created.key), 'the list never carries a secret');
      const listed = list.json();
      assert.equal(listed.count, 1);
      assert.deepEqual(Object.keys(listed.results[0]).sort(), ['created_at', 'expires_at', 'id', 'last_used_at', 'name', 'prefix']);
      assert.equal(listed.results[0].id, created.id);
      assert.match(listed.results[0].last_used_at, iso);

      const removed = await call('DELETE', `/api/auth/api-keys/${created.id}/`, { headers: bearer(session.access) });
      assert.equal(removed.statusCode, 204);
      assert.equal(removed.body, '');
      const revoked = await call('GET', '/api/auth/me/', { headers: cloneKey(created.key) });
      assert.equal(revoked.statusCode, 401);
      assert.equal(revoked.json().code, 'unauthorized');
      assert.equal((await call('GET', '/api/auth/api-keys/', { headers: bearer(session.access) })).json().count, 0);
      assert.equal((await call('DELETE', `/api/auth/api-keys/${created.id}/`, { headers: bearer(session.access) })).statusCode, 404);
    });

    test('api-keys/ pages with limit and offset, newest first; a key can manage keys too', async () => {
      const session = await signUp('pager');
      const first = await createKey(bearer(session.access), 'one');
      clock.advance(1);
      await createKey(bearer(session.access), 'two');
      clock.advance(1);
      await createKey(cloneKey(first.key), 'three');
      const page = async (query: string) => (await call('GET', `/api/auth/api-keys/${query}`, { headers: bearer(session.access) })).json();
      assert.deepEqual((await page('?limit=2')).results.map((k: { name: string }) => k.name), ['three', 'two']);
      assert.deepEqual(await page('?limit=2&offset=2').then((p) => [p.count, p.results.map((k: { name: string }) => k.name)]), [3, ['one']]);
      const bad = await call('GET', '/api/auth/api-keys/?limit=0', { headers: bearer(session.access) });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error, /limit/);
    });

    test('expires_at: a past instant is refused; a future one is kept and ends the key', async () => {
      const session = await signUp('expiry');
      const past = await call('POST', '/api/auth/api-keys/', { headers: bearer(session.access), payload: { name: 'old', expires_at: new Date(clock.now() - 1000).toISOString() } });
      assert.equal(past.statusCode, 400);
      assert.match(past.json().error, /expires_at/);
      const when = new Date(clock.now() + 60_000).toISOString();
      const res = await call('POST', '/api/auth/api-keys/', { headers: bearer(session.access), payload: { name: 'brief', expires_at: when } });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().expires_at, when);
      assert.equal((await call('GET', '/api/auth/me/', { headers: cloneKey(res.json().key) })).statusCode, 200);
      clock.advance(60_000);
      assert.equal((await call('GET', '/api/auth/me/', { headers: cloneKey(res.json().key) })).statusCode, 401);
    });

    describe('no user reaches another user\'s rows', () => {
      let owned: Owned;
      let ownerHeaders: Record<string, string>;
      const outsiders: { who: string; headers: Record<string, string> }[] = [];

      before(async () => {
        const admin = await signUp('tenant-admin');
        const owner = await joinAsMember(admin.user.tenant_id, 'owner');
        const colleague = await joinAsMember(admin.user.tenant_id, 'colleague');
        const stranger = await signUp('stranger');
        ownerHeaders = bearer(owner.accessToken);
        owned = { apiKeyId: (await createKey(ownerHeaders)).id };
        outsiders.push(
          { who: 'a user of another tenant', headers: bearer(stranger.access) },
          { who: 'the admin of the same tenant', headers: bearer(admin.access) },
          { who: 'another member of the same tenant', headers: bearer(colleague.accessToken) },
          { who: "another tenant's user through a clone_ key", headers: cloneKey((await createKey(bearer(stranger.access))).key) },
        );
      });

      for (const probe of othersRowsNotFound) {
        test(`${probe.what}: 404 for every other user`, async () => {
          for (const outsider of outsiders) {
            const res = await call(probe.method, probe.url(owned), { headers: outsider.headers, payload: probe.payload });
            assert.equal(res.statusCode, 404, `${outsider.who}: ${res.body}`);
            assert.equal(res.json().code, 'not_found');
          }
        });
      }

      for (const list of othersRowsNotListed) {
        test(`${list.what}: another user's rows are not listed`, async () => {
          for (const outsider of outsiders) {
            const res = await call('GET', list.url, { headers: outsider.headers });
            assert.equal(res.statusCode, 200, `${outsider.who}: ${res.body}`);
            for (const id of list.ids(owned)) assert.ok(!res.body.includes(id), `${outsider.who} sees ${id}`);
          }
          const own = await call('GET', list.url, { headers: ownerHeaders });
          for (const id of list.ids(owned)) assert.ok(own.body.includes(id), `the owner still sees ${id}`);
        });
      }
    });

    test('invite → signup with invite_token joins the inviting tenant with the role; the token works once', async () => {
      const inviter = await signUp('inviter');
      const email = `${uniqueName('invitee')}@example.test`;
      const res = await call('POST', '/api/auth/invite/', { headers: bearer(inviter.access), payload: { email } });
      assert.equal(res.statusCode, 201, res.body);
      const invite = res.json();
      assert.deepEqual(Object.keys(invite).sort(), ['email', 'expires_at', 'id', 'role', 'token']);
      assert.equal(invite.role, 'member');
      assert.match(invite.expires_at, iso);

      const form = { email, password, invite_token: invite.token };
      const tooShort = await call('POST', '/api/auth/signup/', { payload: { ...form, username: uniqueName('invitee'), password: 'short' } });
      assert.equal(tooShort.statusCode, 400, 'an invalid form is refused…');
      const wrongEmail = await call('POST', '/api/auth/signup/', { payload: { ...form, username: uniqueName('invitee'), email: 'other@example.test' } });
      assert.equal(wrongEmail.statusCode, 400);
      assert.match(wrongEmail.json().error, /invite_token/);

      const taken = await call('POST', '/api/auth/signup/', { payload: { ...form, username: inviter.user.username } });
      assert.equal(taken.statusCode, 409, 'a taken username is refused…');
      const joined = await call('POST', '/api/auth/signup/', { payload: { ...form, username: uniqueName('invitee') } });
      assert.equal(joined.statusCode, 201, `…without using up the invite: ${joined.body}`);
      const user = await app.core.users.activeUser(inviter.user.tenant_id, joined.json().user.id);
      assert.ok(user, 'the new user lives in the inviter\'s tenant');
      assert.equal(user.tenantId, inviter.user.tenant_id);
      assert.ok(!(await app.core.users.permissionsOf(user)).includes('UserManage'), 'with the invited role, not admin');

      const again = await call('POST', '/api/auth/signup/', { payload: { ...form, username: uniqueName('invitee') } });
      assert.equal(again.statusCode, 400);
      assert.match(again.json().error, /invite_token/);
    });

    test('invite/ needs UserManage: a member gets 403', async () => {
      const admin = await signUp('boss');
      const member = await joinAsMember(admin.user.tenant_id, 'member');
      const res = await call('POST', '/api/auth/invite/', { headers: bearer(member.accessToken), payload: { email: 'friend@example.test' } });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'forbidden');
      assert.equal(typeof res.json().error, 'string');
    });

    test('a developer token is refused with 403; a tenant-level clone_ key has no user for me/', async () => {
      const tenant = await app.core.tenants.create('dev-shop');
      const developer = await app.core.auth.createCredential(tenant.id, { kind: 'developer' });
      const res = await call('GET', '/api/auth/me/', { headers: bearer(developer.secret) });
      assert.equal(res.statusCode, 403, res.body);
      assert.equal(res.json().code, 'forbidden');

      const tenantKey = await app.core.auth.createCredential(tenant.id, { kind: 'clone' });
      for (const [method, url] of [['GET', '/api/auth/me/'], ['GET', '/api/auth/api-keys/']] as const) {
        const keyed = await call(method, url, { headers: cloneKey(tenantKey.secret) });
        assert.equal(keyed.statusCode, 403, `${method} ${url}: ${keyed.body}`);
      }
    });

    test('waitlist/: joining twice is 201 both times; an address without @ is a 400', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await call('POST', '/api/auth/waitlist/', { payload: { email: 'Curious@Example.test', note: 'saw the talk' } });
        assert.equal(res.statusCode, 201, res.body);
        assert.deepEqual(res.json(), { status: 'ok' });
      }
      const rows = await db.database.db.selectFrom('waitlist').selectAll().where('email', '=', 'curious@example.test').execute();
      assert.equal(rows.length, 1);
      const bad = await call('POST', '/api/auth/waitlist/', { payload: { email: 'nope' } });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().error, /email/);
    });
  });
}
