// POST /v1/events (002) with ingestion keys: the four documented events accepted and stored append-only,
// bad bodies refused in {error, message}, idempotent retries, and tenants walled off from each other.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestApp } from '../../testing/app.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';

/** The examples of 002, verbatim. */
const examples = {
  model_call: {
    type: 'model_call',
    system_id: 'support-assistant',
    model_id: 'gpt-4.1-mini',
    request_count: 1,
    token_usage: 1024,
    prompt: 'User input...',
    response: 'Model output...',
    latency_ms: 320,
    metadata: { route: '/api/chat', tenant_id: 'tenant_123' },
  },
  prompt: {
    type: 'prompt',
    team_id: 'team_123',
    actor_id: 'user_456',
    scope: 'ai_assistant',
    action: 'prompt_logged',
    channel: 'web',
    subject_id: 'conversation_789',
    prompt: 'User message...',
    response: 'Assistant reply...',
    metadata: { locale: 'en-US' },
  },
  incident: {
    type: 'incident',
    team_id: 'team_123',
    level: 'error',
    title: 'PII detected in model output',
    message: 'The redaction pipeline missed PII in 3 responses.',
    incident_id: 'incident_001',
    lifecycle_type: 'critical_alert',
    actor_id: null,
    metadata: { pipeline: 'redaction-v2', sample_size: 100 },
  },
  evidence: {
    type: 'evidence',
    team_id: 'team_123',
    subject_id: 'incident_001',
    actor_id: null,
    scope: 'ai_governance',
    action: 'evidence_attached',
    channel: 'api',
    metadata: { control: 'human-review' },
    evidence: [
      { kind: 'policy', body_text: 'AI incident response runbook v1.0' },
      { kind: 'link', body_json: { url: 'https://example.com/incidents/001' } },
    ],
  },
} as const;

/** The cURL example of 002: the fewest fields a model call needs. */
const curlExample = { type: 'model_call', system_id: 'support-assistant', model_id: 'gpt-4.1-mini', request_count: 1, token_usage: 1024 };

/** The filter columns each example fills. */
const columns = {
  model_call: { systemId: 'support-assistant', teamId: null, actorId: null, subjectId: null, level: null },
  prompt: { systemId: null, teamId: 'team_123', actorId: 'user_456', subjectId: 'conversation_789', level: null },
  incident: { systemId: null, teamId: 'team_123', actorId: null, subjectId: null, level: 'error' },
  evidence: { systemId: null, teamId: 'team_123', actorId: null, subjectId: 'incident_001', level: null },
};

for (const { engine, skip } of await testEngines()) {
  describe(`POST /v1/events (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    const clock = new ManualClock();
    const a = { tenantId: '', key: '', keyId: '' };
    const b = { tenantId: '', key: '' };

    const post = (secret: string | undefined, body: unknown, headers: Record<string, string> = {}) =>
      app.http.inject({
        method: 'POST',
        url: '/v1/events',
        headers: { 'content-type': 'application/json', ...(secret ? { authorization: `Bearer ${secret}` } : {}), ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, { clock });
      a.tenantId = (await app.core.tenants.create('a')).id;
      b.tenantId = (await app.core.tenants.create('b')).id;
      const keyA = await app.core.auth.createCredential(a.tenantId, { kind: 'ingestion' });
      a.key = keyA.secret;
      a.keyId = keyA.credential.id;
      assert.match(a.key, /^egi_/);
      b.key = (await app.core.auth.createCredential(b.tenantId, { kind: 'ingestion' })).secret;
    });
    after(async () => {
      await app?.http.close();
      await db?.cleanup();
    });

    for (const [type, example] of Object.entries(examples) as [keyof typeof examples, (typeof examples)[keyof typeof examples]][]) {
      test(`the documented ${type} event is accepted (202) and stored as sent`, async () => {
        const res = await post(a.key, example);
        assert.equal(res.statusCode, 202, res.body);
        const { id, received_at } = res.json();
        assert.deepEqual(Object.keys(res.json()).sort(), ['id', 'received_at']);
        assert.equal(received_at, new Date(clock.now()).toISOString());
        const stored = await app.core.governance.get(a.tenantId, id);
        assert.equal(stored.type, type);
        assert.deepEqual(stored.body, example);
        assert.equal(stored.credentialId, a.keyId);
        assert.equal(stored.occurredAt, clock.now());
        assert.deepEqual(
          { systemId: stored.systemId, teamId: stored.teamId, actorId: stored.actorId, subjectId: stored.subjectId, level: stored.level },
          columns[type],
        );
      });
    }

    test('the cURL example, an occurred_at and a field an SDK adds later are accepted', async () => {
      assert.equal((await post(a.key, curlExample)).statusCode, 202);
      const res = await post(a.key, { ...curlExample, occurred_at: '2025-12-31T23:00:00+01:00', sdk_version: '1.4.0' });
      assert.equal(res.statusCode, 202, res.body);
      const stored = await app.core.governance.get(a.tenantId, res.json().id);
      assert.equal(stored.occurredAt, Date.UTC(2025, 11, 31, 22));
      assert.equal(stored.body.sdk_version, '1.4.0');
    });

    test('bad bodies are 400 in {error, message}, naming the field', async () => {
      const cases: [unknown, RegExp][] = [
        [{ type: 'telemetry', system_id: 'x' }, /type/],
        [{ system_id: 'x', model_id: 'y' }, /type/],
        [{ type: 'model_call', system_id: 'support-assistant' }, /model_id/],
        [{ ...curlExample, token_usage: 'lots' }, /token_usage/],
        [{ ...examples.incident, title: undefined }, /title/],
        [{ ...examples.evidence, evidence: [] }, /evidence/],
        [{ ...examples.prompt, metadata: 'not an object' }, /metadata/],
        [{ ...curlExample, occurred_at: 'yesterday' }, /occurred_at/],
        [[curlExample], /body/],
      ];
      for (const [body, names] of cases) {
        const res = await post(a.key, body);
        assert.equal(res.statusCode, 400, JSON.stringify(body));
        assert.equal(res.json().error, 'validation_failed');
        assert.match(res.json().message, names, res.body);
      }
      const malformed = await post(a.key, '{"type": "model_call",');
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json().error, 'malformed_json');
      assert.equal(typeof malformed.json().message, 'string');
    });

    test('a retry with the same Idempotency-Key answers the same id and stores nothing new', async () => {
      const headers = { 'idempotency-key': 'retry-1' };
      const first = await post(a.key, examples.incident, headers);
      assert.equal(first.statusCode, 202);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const before = (await app.core.governance.list(a.tenantId, { limit: 1, offset: 0 })).total;
      clock.advance(5000);
      const retry = await post(a.key, { ...examples.incident, metadata: { sample_size: 100, pipeline: 'redaction-v2' } }, headers);
      assert.equal(retry.statusCode, 202);
      assert.deepEqual(retry.json(), first.json());
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.equal((await app.core.governance.list(a.tenantId, { limit: 1, offset: 0 })).total, before);

      const other = await post(a.key, examples.prompt, headers);
      assert.equal(other.statusCode, 409);
      assert.equal(other.json().error, 'conflict');

      const raced = await Promise.all([1, 2, 3].map(() => post(a.key, examples.evidence, { 'idempotency-key': 'race' })));
      assert.deepEqual(
        raced.map((r) => r.statusCode),
        [202, 202, 202],
      );
      assert.equal(new Set(raced.map((r) => r.json().id)).size, 1);

      const inB = await post(b.key, examples.incident, headers);
      assert.equal(inB.statusCode, 202);
      assert.notEqual(inB.json().id, first.json().id, 'idempotency keys are per tenant');
    });

    test('a developer token, a revoked key or no key is 401', async () => {
      const developer = await app.core.auth.createCredential(a.tenantId, { kind: 'developer', scopes: ['documents:list'] });
      const revoked = await app.core.auth.createCredential(a.tenantId, { kind: 'ingestion' });
      await app.core.auth.revokeCredential(a.tenantId, revoked.credential.id);
      for (const secret of [undefined, developer.secret, revoked.secret]) {
        const res = await post(secret, curlExample);
        assert.equal(res.statusCode, 401);
        assert.equal(res.json().error, 'unauthorized');
      }
    });

    test("tenant A cannot see tenant B's governance events", async () => {
      const fromB = (await post(b.key, { ...examples.model_call, system_id: 'b-only' })).json().id;
      const listA = await app.core.governance.list(a.tenantId, { limit: 1000, offset: 0 });
      assert.ok(listA.total > 0);
      assert.ok(!listA.events.some((e) => e.id === fromB || e.systemId === 'b-only'));
      assert.equal((await app.core.governance.list(a.tenantId, { systemId: 'b-only', limit: 10, offset: 0 })).total, 0);
      assert.equal((await app.core.governance.list(b.tenantId, { systemId: 'b-only', limit: 10, offset: 0 })).total, 1);
      await assert.rejects(app.core.governance.get(a.tenantId, fromB), { code: 'not_found' });
      const listB = await app.core.governance.list(b.tenantId, { limit: 1000, offset: 0 });
      assert.ok(listB.events.every((e) => e.tenantId === b.tenantId));
    });
  });
}
