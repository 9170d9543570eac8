// Every registered route, read from the router: without a valid credential of its face (or of the route,
// where it differs) it is rejected in that face's format (unless marked public), and it is described in /openapi.json.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../app.js';
import { ManualClock } from '../platform/clock.js';
import type { CredentialKind } from '../platform/db/schema.js';
import { createTestApp } from '../testing/app.js';
import { type TestDatabase, createTestDatabase } from '../testing/db.js';
import { type FaceName, faceOf } from './error-format.js';

interface Presenter {
  kind: CredentialKind;
  headers: (secret: string) => Record<string, string>;
}

const bearer = (s: string) => ({ authorization: `Bearer ${s}` });

/** How each face presents its credential. A face with routes but no entry here fails the sweep. */
const presenters: Partial<Record<FaceName, Presenter>> = {
  selfmodel: { kind: 'selfmodel', headers: (s) => ({ 'x-api-key': s }) },
  platform: { kind: 'platform', headers: (s) => ({ authorization: `ApiKey ${s}` }) },
  clone: { kind: 'clone', headers: (s) => ({ 'x-clone-api-key': s }) },
  'public-v1': { kind: 'developer', headers: bearer },
};

/** Routes that take another credential than the rest of their face, as `METHOD /url`. */
const routePresenters: Record<string, Presenter> = {
  'POST /v1/events': { kind: 'ingestion', headers: bearer },
};

const presenterOf = (route: { method: string; url: string }): Presenter | undefined =>
  routePresenters[`${route.method} ${route.url}`] ?? presenters[faceOf(route.url)];

/** Faces that also take an access JWT as `Authorization: Bearer`: an expired or forged one is refused too. */
const takesJwt = new Set<FaceName>(['platform', 'clone']);

const otherKind: Record<CredentialKind, CredentialKind> = {
  selfmodel: 'clone',
  clone: 'platform',
  platform: 'developer',
  developer: 'ingestion',
  ingestion: 'selfmodel',
};

function isUnauthorizedIn(face: FaceName, body: any): boolean {
  switch (face) {
    case 'selfmodel':
    case 'ops':
      return body?.error?.code === 'unauthorized';
    case 'public-v1':
      return body?.error === 'unauthorized';
    case 'clone':
      return body?.code === 'unauthorized' && typeof body?.error === 'string';
    case 'platform':
      return body?.ok === false && body?.errorCode === 'UNAUTHORIZED';
  }
}

const concrete = (url: string) => url.replace(/:[A-Za-z_]+/g, '01a21342-0000-7000-8000-000000000000');

describe('route auth sweep (sqlite)', () => {
  let db: TestDatabase;
  let app: App;
  const clock = new ManualClock();
  const bad: Record<string, Partial<Record<CredentialKind, string>>> = { expired: {}, revoked: {}, 'wrong kind': {} };
  let expiredJwt = '';

  before(async () => {
    db = await createTestDatabase('sqlite');
    app = await createTestApp(db, { clock });
    const tenant = await app.core.tenants.create('sweep');
    const kinds = new Set([...Object.values(presenters), ...Object.values(routePresenters)].map((p) => p.kind));
    for (const kind of kinds) {
      const expiring = await app.core.auth.createCredential(tenant.id, { kind, expiresAt: clock.now() + 1 });
      const revoked = await app.core.auth.createCredential(tenant.id, { kind });
      await app.core.auth.revokeCredential(tenant.id, revoked.credential.id);
      const wrong = await app.core.auth.createCredential(tenant.id, { kind: otherKind[kind] });
      bad.expired![kind] = expiring.secret;
      bad.revoked![kind] = revoked.secret;
      bad['wrong kind']![kind] = wrong.secret;
    }
    const person = await app.core.accounts.signup({ username: 'sweeper', email: 'sweeper@example.test', password: 'long enough pw' });
    expiredJwt = person.accessToken;
    clock.advance(24 * 3600_000);
  });
  after(async () => {
    await app?.http.close();
    await db?.cleanup();
  });

  test('every non-public route rejects missing, malformed, expired, revoked and wrong-kind credentials', async () => {
    const routes = app.http.routeTable.filter((r) => !r.public);
    assert.ok(routes.length > 0, 'the router lists routes');
    for (const route of routes) {
      const face = faceOf(route.url);
      const presenter = presenterOf(route);
      assert.ok(presenter, `${route.method} ${route.url}: no credential presenter for face ${face} in this test`);
      const attempts: [string, Record<string, string>][] = [
        ['none', {}],
        ['malformed', presenter.headers('not a key at all')],
        ...Object.entries(bad).map(([what, byKind]): [string, Record<string, string>] => [what, presenter.headers(byKind[presenter.kind]!)]),
        ...(takesJwt.has(face)
          ? ([
              ['expired JWT', { authorization: `Bearer ${expiredJwt}` }],
              ['forged JWT', { authorization: `Bearer ${expiredJwt.slice(0, -4)}AAAA` }],
            ] as [string, Record<string, string>][])
          : []),
      ];
      for (const [what, headers] of attempts) {
        const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
        const res = await app.http.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: { ...headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
          ...(hasBody ? { payload: '{}' } : {}),
        });
        assert.equal(res.statusCode, 401, `${route.method} ${route.url} with ${what} credential`);
        assert.ok(isUnauthorizedIn(face, res.json()), `${route.method} ${route.url}: 401 body in ${face} format: ${res.body}`);
      }
    }
  });

  test('every route except the docs pages is described in /openapi.json', async () => {
    const doc = (await app.http.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, object> };
    const described = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)),
    );
    for (const route of app.http.routeTable) {
      if (route.url === '/openapi.json' || route.url === '/docs' || route.url.startsWith('/docs/')) continue;
      const path = route.url.replace(/:([A-Za-z_]+)/g, '{$1}');
      assert.ok(described.has(`${route.method} ${path}`), `${route.method} ${path} is missing from /openapi.json`);
    }
  });
});
