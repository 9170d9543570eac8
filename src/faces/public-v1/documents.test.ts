// Public v1 documents with developer tokens: the tenant's document events, read under scopes, limited per
// token, walled off from other tenants; developer tokens refused outside /v1/, and scoped down but never up.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { defaultRateLimits } from '../../auth/service.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

const bothScopes = ['documents:list', 'documents:read'];

let envelopes = 0;

/** A document as Engram receives it: a `document` envelope in a subject's memory. */
async function addDocument(app: App, tenantId: string, subjectId: string, data: Record<string, unknown>, occurredAt: number) {
  const { event } = await app.core.events.ingest(tenantId, {
    envelopeId: `doc-${++envelopes}`,
    subjectId,
    inputType: 'document',
    data,
    occurredAt,
    source: 'external',
  });
  return event.id;
}

for (const { engine, skip } of await testEngines()) {
  describe(`public v1 documents (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    const clock = new ManualClock();
    const a = { tenantId: '', subjectId: '', docs: [] as string[] };
    const b = { tenantId: '', docId: '' };

    const get = (url: string, secret?: string) =>
      app.http.inject({ method: 'GET', url, headers: secret === undefined ? {} : { authorization: `Bearer ${secret}` } });
    const token = async (scopes: string[], extra: { rateLimitPerMinute?: number; tenantId?: string } = {}) =>
      app.core.auth.createCredential(extra.tenantId ?? a.tenantId, {
        kind: 'developer',
        scopes,
        ...(extra.rateLimitPerMinute !== undefined ? { rateLimitPerMinute: extra.rateLimitPerMinute } : {}),
      });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
      a.tenantId = (await app.core.tenants.create('a')).id;
      b.tenantId = (await app.core.tenants.create('b')).id;
      a.subjectId = (await app.core.subjects.onboard(a.tenantId, { externalId: 'writer-a' })).subject.id;
      const subjectB = (await app.core.subjects.onboard(b.tenantId, { externalId: 'writer-b' })).subject.id;
      const t0 = clock.now() - 3600_000;
      a.docs.push(await addDocument(app, a.tenantId, a.subjectId, { title: 'Plan', text: 'Ship the public API.' }, t0));
      a.docs.push(await addDocument(app, a.tenantId, a.subjectId, { title: 'Notes', text: 'Scopes are fixed.' }, t0 + 60_000));
      await app.core.events.ingest(a.tenantId, {
        envelopeId: 'not-a-document',
        subjectId: a.subjectId,
        inputType: 'note',
        data: { text: 'a note, not a document' },
        source: 'external',
      });
      b.docId = await addDocument(app, b.tenantId, subjectB, { title: 'Secret', text: "B's private document" }, t0);
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    test('a developer token lists its tenant’s documents, newest first, metadata only', async () => {
      const { secret } = await token(bothScopes);
      const res = await get('/v1/documents', secret);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json();
      assert.equal(body.total, 2);
      assert.deepEqual(
        body.documents.map((d: any) => d.id),
        [a.docs[1], a.docs[0]],
      );
      assert.deepEqual(body.documents[1], {
        id: a.docs[0],
        title: 'Plan',
        subject_id: a.subjectId,
        occurred_at: new Date(clock.now() - 3600_000).toISOString(),
        received_at: new Date(clock.now()).toISOString(),
      });
      const page = (await get('/v1/documents?limit=1&offset=1', secret)).json();
      assert.deepEqual([page.total, page.limit, page.offset, page.documents[0].id], [2, 1, 1, a.docs[0]]);
      const bySubject = (await get(`/v1/documents?subject_id=${a.subjectId}-other`, secret)).json();
      assert.equal(bySubject.total, 0);
    });

    test('a developer token reads one document with its text', async () => {
      const { secret } = await token(bothScopes);
      const res = await get(`/v1/documents/${a.docs[1]}`, secret);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().title, 'Notes');
      assert.equal(res.json().text, 'Scopes are fixed.');
      assert.equal(res.json().subject_id, a.subjectId);
    });

    test('a route needing a scope the token lacks is 403 naming the scope', async () => {
      const readOnly = await token(['documents:read']);
      const listOnly = await token(['documents:list']);
      const list = await get('/v1/documents', readOnly.secret);
      assert.equal(list.statusCode, 403);
      assert.equal(list.json().error, 'forbidden');
      assert.match(list.json().message, /documents:list/);
      const read = await get(`/v1/documents/${a.docs[0]}`, listOnly.secret);
      assert.equal(read.statusCode, 403);
      assert.match(read.json().message, /documents:read/);
      // `admin` is not a wildcard for developer scopes.
      assert.equal((await get('/v1/documents', (await token(['admin'])).secret)).statusCode, 403);
    });

    test("another tenant's document, a note event and an unknown id are all 404", async () => {
      const { secret } = await token(bothScopes);
      const noteId = (await app.core.events.statusOf(a.tenantId, 'external', 'not-a-document')).id;
      for (const id of [b.docId, noteId, '01a21342-0000-7000-8000-000000000000']) {
        const res = await get(`/v1/documents/${id}`, secret);
        assert.equal(res.statusCode, 404, id);
        assert.equal(res.json().error, 'not_found');
        assert.equal(typeof res.json().message, 'string');
      }
      const bToken = await token(bothScopes, { tenantId: b.tenantId });
      const bList = (await get('/v1/documents', bToken.secret)).json();
      assert.deepEqual(
        bList.documents.map((d: any) => d.id),
        [b.docId],
      );
    });

    test('missing, malformed and ingestion-key credentials are 401 on /v1/documents', async () => {
      const ingestion = await app.core.auth.createCredential(a.tenantId, { kind: 'ingestion' });
      for (const secret of [undefined, 'clr_dev_not-a-token', ingestion.secret]) {
        const res = await get('/v1/documents', secret);
        assert.equal(res.statusCode, 401, String(secret));
        assert.equal(res.json().error, 'unauthorized');
      }
    });

    test('a developer token outside /v1/ is 403', async () => {
      const { secret } = await token(bothScopes);
      const me = await get('/api/auth/me', secret);
      assert.equal(me.statusCode, 403, me.body);
      assert.equal(me.json().errorCode, 'FORBIDDEN');
      const formats = await get('/external/context/formats', secret);
      assert.equal(formats.statusCode, 403, formats.body);
      assert.equal(formats.json().error.code, 'forbidden');
    });

    test('the call after the per-token limit is 429 with resets_at and Retry-After until the window turns', async () => {
      const { secret } = await token(bothScopes, { rateLimitPerMinute: 5 });
      clock.set(Date.UTC(2026, 1, 1, 12, 0, 10));
      for (let i = 1; i <= 5; i++) assert.equal((await get('/v1/documents', secret)).statusCode, 200, `call ${i}`);
      const limited = await get('/v1/documents', secret);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().error, 'rate_limited');
      assert.equal(limited.json().resets_at, '2026-02-01T12:01:00.000Z');
      assert.equal(limited.headers['retry-after'], '50');
      clock.advance(50_000);
      assert.equal((await get('/v1/documents', secret)).statusCode, 200);
    });

    test('developer tokens default to 120 calls a minute: the 121st is 429', async () => {
      assert.equal(defaultRateLimits.developer, 120);
      const { secret } = await token(bothScopes);
      clock.set(Date.UTC(2026, 1, 2));
      for (let i = 1; i <= 120; i++) {
        const res = await get('/v1/documents?limit=1', secret);
        if (res.statusCode !== 200) assert.fail(`call ${i}: ${res.statusCode} ${res.body}`);
      }
      const limited = await get('/v1/documents?limit=1', secret);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().resets_at, '2026-02-02T00:01:00.000Z');
      assert.equal(limited.headers['retry-after'], '60');
    });

    test('a token is scoped down, never up, and the narrower set applies to the next call', async () => {
      const { credential, secret } = await token(bothScopes);
      assert.equal((await get(`/v1/documents/${a.docs[0]}`, secret)).statusCode, 200);
      const narrowed = await app.core.auth.narrowScopes(a.tenantId, credential.id, ['documents:list']);
      assert.deepEqual(narrowed.scopes, ['documents:list']);
      assert.equal((await get(`/v1/documents/${a.docs[0]}`, secret)).statusCode, 403);
      assert.equal((await get('/v1/documents', secret)).statusCode, 200);
      await assert.rejects(app.core.auth.narrowScopes(a.tenantId, credential.id, bothScopes), (err: any) => {
        assert.equal(err.code, 'conflict');
        assert.match(err.message, /documents:read/);
        return true;
      });
      await assert.rejects(app.core.auth.narrowScopes(b.tenantId, credential.id, []), { code: 'not_found' });
      await app.core.auth.revokeCredential(a.tenantId, credential.id);
      await assert.rejects(app.core.auth.narrowScopes(a.tenantId, credential.id, []), { code: 'not_found' });
    });
  });
}
