// /api/predictions/ and /api/jobs/ over HTTP on both engines, against a local stub server speaking the
// Anthropic Messages protocol: the prompt carries the user's context; 429, 500, timeouts and no provider
// answer as 003 says, each failure leaving a failed prediction and a dead job; feedback and stats; isolation.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { App } from '../../app.js';
import { createTestApp } from '../../testing/app.js';
import { signUpAdmin } from '../../testing/accounts.js';
import { type TestDatabase, createTestDatabase, testEngines } from '../../testing/db.js';
import { StubServer } from '../../testing/stub-http.js';

type Method = 'GET' | 'POST';
type Json = Record<string, any>;

const answer = (json: unknown, usage = { input_tokens: 321, output_tokens: 45 }) => ({
  status: 200,
  body: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-stub-1', content: [{ type: 'text', text: JSON.stringify(json) }], usage },
});

let stub: StubServer;
before(async () => {
  stub = await StubServer.start();
});
after(() => stub.close());

for (const { engine, skip } of await testEngines()) {
  describe(`recording face: /api/predictions/ and /api/jobs/ (${engine})`, { skip }, () => {
    let db: TestDatabase;
    let app: App;
    let noLlm: App;
    let alice: Awaited<ReturnType<typeof signUpAdmin>>;
    let bob: Awaited<ReturnType<typeof signUpAdmin>>;
    let aliceKey: Record<string, string>;

    const call = async (method: Method, url: string, headers: Record<string, string>, payload?: unknown, on: App = app) => {
      const res = await on.http.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
      return { status: res.statusCode, body: res.json() as Json, raw: res.body };
    };

    before(async () => {
      db = await createTestDatabase(engine);
      app = await createTestApp(db, {
        env: {
          ENGRAM_LLM_PROVIDER: 'anthropic',
          ENGRAM_LLM_BASE_URL: stub.url,
          ENGRAM_LLM_API_KEY: 'test',
          ENGRAM_LLM_MODEL: 'claude-stub',
          ENGRAM_LLM_TIMEOUT_MS: '300',
          ENGRAM_LLM_MAX_RETRIES: '0',
        },
      });
      noLlm = await createTestApp(db);
      alice = await signUpAdmin(app);
      bob = await signUpAdmin(app);
      // What Alice's memory holds, as the pipeline would have written it.
      const subject = await app.core.subjects.forAccountUser(alice.tenantId, alice.userId, null);
      await app.core.beliefs.apply(
        app.core.database.db,
        alice.tenantId,
        subject.id,
        { eventId: 'evt-seed', envelopeId: 'env-seed', occurredAt: Date.now() - 60_000 },
        [{ about: 'self', predicate: 'diet', object: 'vegetarian', statement: 'is vegetarian', positive: true, confidence: 0.9, category: 'preference' }],
        'test',
      );
      const key = await call('POST', '/api/auth/api-keys/', alice.bearer, { name: 'predictions test' });
      assert.equal(key.status, 201, key.raw);
      aliceKey = { 'x-clone-api-key': key.body.key };
    });
    after(async () => {
      await app?.http.close();
      await noLlm?.http.close();
      await db?.cleanup();
    });

    test('predict/: the prompt carries the user context and the options; the answer is stored with usage and a completed job', async () => {
      stub.replies(answer({ prediction: 'Orders the mushroom risotto', option: 'risotto', confidence: 0.8, reasoning: 'They are vegetarian' }));
      const res = await call('POST', '/api/predictions/predict/', alice.bearer, { situation: 'Dinner at an Italian restaurant', options: ['steak', 'risotto'] });
      assert.equal(res.status, 201, res.raw);

      assert.equal(stub.requests.length, 1);
      const sent = stub.requests[0]!;
      assert.equal(sent.path, '/v1/messages');
      assert.equal(sent.headers['x-api-key'], 'test');
      const prompt = (sent.body as { messages: { content: string }[] }).messages[0]!.content;
      assert.match(prompt, /is vegetarian/, 'the user context is in the prompt');
      assert.match(prompt, /Dinner at an Italian restaurant/);
      assert.match(prompt, /- steak\n- risotto/);

      const p = res.body;
      assert.equal(p.prediction, 'Orders the mushroom risotto');
      assert.equal(p.option, 'risotto');
      assert.equal(p.confidence, 0.8);
      assert.equal(p.type, 'action');
      assert.equal(p.status, 'completed');
      assert.equal(p.model, 'claude-stub-1');
      assert.equal(p.input_tokens, 321);
      assert.equal(p.output_tokens, 45);
      assert.equal(p.feedback, null);

      const job = await call('GET', `/api/jobs/${p.job_id}/`, alice.bearer);
      assert.equal(job.status, 200, job.raw);
      assert.equal(job.body.kind, 'prediction.run');
      assert.equal(job.body.status, 'completed');
      assert.deepEqual(job.body.result, { predictionId: p.id });

      const detail = await call('GET', `/api/predictions/${p.id}/`, aliceKey);
      assert.equal(detail.status, 200, detail.raw);
      assert.deepEqual(detail.body, p);
    });

    test('an answer that is not the expected JSON is a 502 and a failed prediction', async () => {
      stub.replies({ ...answer({}), body: { ...answer({}).body, content: [{ type: 'text', text: 'I think they would order pasta.' }] } });
      const res = await call('POST', '/api/predictions/predict/', alice.bearer, { situation: 'Lunch' });
      assert.equal(res.status, 502, res.raw);
      assert.match(res.body.error, /not a JSON object/);
    });

    for (const { what, reply, status, code } of [
      { what: 'upstream 429 → 429', reply: { status: 429, body: { error: { type: 'rate_limit_error', message: 'slow down' } } }, status: 429, code: 'upstream_rate_limited' },
      { what: 'upstream 500 → 502', reply: { status: 500, body: { error: { type: 'api_error', message: 'boom' } } }, status: 502, code: 'upstream_failed' },
      { what: 'upstream timeout → 502', reply: 'hang' as const, status: 502, code: 'upstream_failed' },
    ]) {
      test(`${what}: {"error"}, the prediction stored as failed, the job dead`, async () => {
        stub.replies(reply);
        const before = await call('GET', '/api/predictions/?status=failed', alice.bearer);
        const res = await call('POST', '/api/predictions/predict/', alice.bearer, { situation: `Situation for ${what}`, type: 'response' });
        assert.equal(res.status, status, res.raw);
        assert.equal(typeof res.body.error, 'string');
        assert.equal(res.body.code, code);

        const failed = await call('GET', '/api/predictions/?status=failed&limit=1', alice.bearer);
        assert.equal(failed.body.count, before.body.count + 1);
        const p = failed.body.results[0];
        assert.equal(p.situation, `Situation for ${what}`);
        assert.equal(p.status, 'failed');
        assert.ok(p.error);
        const job = await call('GET', `/api/jobs/${p.job_id}/`, aliceKey);
        assert.equal(job.body.status, 'dead');
        assert.match(job.body.last_error, new RegExp(code));
      });
    }

    test('no LLM configured → 503 {"error"} for predict/ and batch-predict/, nothing stored', async () => {
      const before = await call('GET', '/api/predictions/', alice.bearer);
      const one = await call('POST', '/api/predictions/predict/', alice.bearer, { situation: 'Anything' }, noLlm);
      assert.equal(one.status, 503, one.raw);
      assert.equal(one.body.code, 'provider_not_configured');
      assert.equal(typeof one.body.error, 'string');
      const many = await call('POST', '/api/predictions/batch-predict/', alice.bearer, { items: [{ situation: 'Anything' }] }, noLlm);
      assert.equal(many.status, 503, many.raw);
      assert.equal((await call('GET', '/api/predictions/', alice.bearer)).body.count, before.body.count);
    });

    test('validation: 400 with the field', async () => {
      const res = await call('POST', '/api/predictions/predict/', alice.bearer, { situation: '' });
      assert.equal(res.status, 400, res.raw);
      assert.equal(typeof res.body.error, 'string');
      const tooMany = await call('POST', '/api/predictions/batch-predict/', alice.bearer, { items: Array.from({ length: 21 }, () => ({ situation: 'x' })) });
      assert.equal(tooMany.status, 400);
      const badScore = await call('POST', '/api/predictions/nope/feedback/', alice.bearer, { actual: 'x', score: 2 });
      assert.equal(badScore.status, 400);
    });

    test('batch-predict/: per-item results, a failing item does not stop the others', async () => {
      stub.replies(
        answer({ prediction: 'Says yes', confidence: 0.9 }),
        { status: 500, body: { error: { message: 'boom' } } },
        answer({ prediction: 'Goes running', confidence: 55, reasoning: 'habit' }),
      );
      const res = await call('POST', '/api/predictions/batch-predict/', aliceKey, {
        items: [{ situation: 'A friend asks for help moving', type: 'response' }, { situation: 'Fails' }, { situation: 'Saturday morning' }],
      });
      assert.equal(res.status, 201, res.raw);
      assert.equal(res.body.succeeded, 2);
      assert.equal(res.body.failed, 1);
      const [a, b, c] = res.body.results;
      assert.equal(a.ok, true);
      assert.equal(a.prediction.type, 'response');
      assert.equal(b.ok, false);
      assert.equal(b.status, 502);
      assert.equal(b.code, 'upstream_failed');
      assert.equal(c.prediction.confidence, 0.55, 'a percentage is read as one');
    });

    test('feedback/ and stats/: accuracy overall and by type, calibration buckets', async () => {
      // Bob starts from nothing, so the numbers are his alone.
      const make = async (confidence: number, type: string) => {
        stub.replies(answer({ prediction: 'something', confidence }));
        const res = await call('POST', '/api/predictions/predict/', bob.bearer, { situation: `s ${confidence}`, type });
        assert.equal(res.status, 201, res.raw);
        return res.body.id as string;
      };
      const high1 = await make(0.95, 'action');
      const high2 = await make(0.91, 'action');
      const low = await make(0.25, 'response');
      await make(0.5, 'response'); // never judged

      const fb = await call('POST', `/api/predictions/${high1}/feedback/`, bob.bearer, { actual: 'did it', correct: true, score: 1 });
      assert.equal(fb.status, 200, fb.raw);
      assert.equal(fb.body.feedback.actual, 'did it');
      assert.equal(fb.body.feedback.correct, true);
      assert.equal(fb.body.feedback.score, 1);
      assert.equal((await call('POST', `/api/predictions/${high2}/feedback/`, bob.bearer, { actual: 'did not', correct: false, score: 0.2 })).status, 200);
      assert.equal((await call('POST', `/api/predictions/${low}/feedback/`, bob.bearer, { actual: 'as said', correct: true })).status, 200);

      const stats = await call('GET', '/api/predictions/stats/', bob.bearer);
      assert.equal(stats.status, 200, stats.raw);
      const s = stats.body;
      assert.equal(s.total, 4);
      assert.equal(s.completed, 4);
      assert.equal(s.failed, 0);
      assert.equal(s.judged, 3);
      assert.equal(s.correct, 2);
      assert.ok(Math.abs(s.accuracy - 2 / 3) < 1e-9);
      assert.ok(Math.abs(s.mean_score - 0.6) < 1e-9);
      assert.deepEqual(s.by_type.action, { total: 2, judged: 2, correct: 1, accuracy: 0.5 });
      assert.deepEqual(s.by_type.response, { total: 2, judged: 1, correct: 1, accuracy: 1 });
      assert.equal(s.calibration.length, 10);
      const top = s.calibration[9];
      assert.equal(top.count, 2);
      assert.ok(Math.abs(top.mean_confidence - 0.93) < 1e-9);
      assert.equal(top.accuracy, 0.5);
      assert.deepEqual(s.calibration[2], { lower: 0.2, upper: 0.3, count: 1, mean_confidence: 0.25, accuracy: 1 });
      assert.equal(s.calibration[5].count, 0, 'unjudged predictions are not in the calibration');
      assert.equal(s.calibration[5].accuracy, null);
    });

    test('lists with both credential forms; filters; another user gets 404 on prediction and job ids and sees none of them', async () => {
      const byJwt = await call('GET', '/api/predictions/?limit=2', alice.bearer);
      const byKey = await call('GET', '/api/predictions/?limit=2', aliceKey);
      assert.equal(byJwt.status, 200, byJwt.raw);
      assert.deepEqual(byKey.body, byJwt.body);
      assert.equal(byJwt.body.results.length, 2);
      assert.ok(byJwt.body.count > 2);
      const responses = await call('GET', '/api/predictions/?type=response', alice.bearer);
      assert.ok(responses.body.results.every((p: Json) => p.type === 'response'));
      const future = await call('GET', `/api/predictions/?since=${new Date(Date.now() + 3_600_000).toISOString()}`, alice.bearer);
      assert.equal(future.body.count, 0);

      const jobs = await call('GET', '/api/jobs/?kind=prediction.run', aliceKey);
      assert.equal(jobs.status, 200, jobs.raw);
      assert.equal(jobs.body.count, byJwt.body.count, 'one job per prediction');
      assert.deepEqual((await call('GET', '/api/jobs/?kind=prediction.run', alice.bearer)).body, jobs.body);
      const dead = await call('GET', '/api/jobs/?status=dead', alice.bearer);
      assert.ok(dead.body.count >= 3 && dead.body.results.every((j: Json) => j.status === 'dead'));

      const prediction = byJwt.body.results[0];
      for (const url of [`/api/predictions/${prediction.id}/`, `/api/jobs/${prediction.job_id}/`]) {
        const res = await call('GET', url, bob.bearer);
        assert.equal(res.status, 404, `${url}: ${res.raw}`);
        assert.equal(typeof res.body.error, 'string');
      }
      const fb = await call('POST', `/api/predictions/${prediction.id}/feedback/`, bob.bearer, { actual: 'x', correct: true });
      assert.equal(fb.status, 404);
      const bobsJobs = await call('GET', '/api/jobs/', bob.bearer);
      assert.ok(!bobsJobs.body.results.some((j: Json) => j.id === prediction.job_id));
      const bobsPredictions = await call('GET', '/api/predictions/', bob.bearer);
      assert.ok(!bobsPredictions.body.results.some((p: Json) => p.id === prediction.id));
      assert.equal((await call('GET', '/api/predictions/', {})).status, 401);
      assert.equal((await call('GET', '/api/jobs/', {})).status, 401);
    });

    test('feedback on a failed prediction is a conflict', async () => {
      const failed = await call('GET', '/api/predictions/?status=failed&limit=1', alice.bearer);
      const res = await call('POST', `/api/predictions/${failed.body.results[0].id}/feedback/`, alice.bearer, { actual: 'x' });
      assert.equal(res.status, 409, res.raw);
    });
  });
}
