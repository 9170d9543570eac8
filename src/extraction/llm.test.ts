// The LLM extractor against a stub Anthropic server: validated beliefs, and the rule fallback (counted) when the model or its answer fails.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createCore } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/log.js';
import { Metrics } from '../platform/metrics.js';
import { createLlmClient } from '../providers/llm.js';
import { type TestDatabase, createTestDatabase } from '../testing/db.js';
import { StubServer } from '../testing/stub-http.js';
import { createLlmExtractor } from './llm.js';
import { createRuleExtractor } from './rules.js';
import type { ExtractionInput, Extractor } from './types.js';

let stub: StubServer;
before(async () => {
  stub = await StubServer.start();
});
after(() => stub.close());

const rules = createRuleExtractor();

/** Friday 10 May 2024, 15:30 UTC. */
const SAID = Date.UTC(2024, 4, 10, 15, 30);
const input: ExtractionInput = {
  text: 'I live in Porto and I work at Acme. Next Friday I fly to Berlin.',
  speaker: null,
  subjectNames: ['Maria'],
  occurredAt: SAID,
  inputType: 'conversation_turn',
};

function extractor(env: Record<string, string> = {}): { extractor: Extractor; metrics: Metrics } {
  const config = loadConfig({
    ENGRAM_LLM_PROVIDER: 'anthropic',
    ENGRAM_LLM_BASE_URL: stub.url,
    ENGRAM_LLM_API_KEY: 'sk-test',
    ENGRAM_LLM_MODEL: 'claude-test',
    ENGRAM_LLM_MAX_RETRIES: '0',
    ...env,
  });
  const client = createLlmClient(config.llm, { sleep: async () => {} });
  assert.ok(client);
  const metrics = new Metrics(async () => ({ queued: 0, running: 0, done: 0, failed: 0 }) as never);
  return { extractor: createLlmExtractor(client, rules, metrics.countLlmExtractionFallback), metrics };
}

/** The model answering with this text, as the Messages API does. */
const says = (text: string) => ({
  status: 200,
  body: { type: 'message', role: 'assistant', model: 'claude-test', content: [{ type: 'text', text }], usage: { input_tokens: 300, output_tokens: 80 } },
});

async function fallbacks(metrics: Metrics, reason: string): Promise<number> {
  const { body } = await metrics.render();
  const line = body.split('\n').find((l) => l.startsWith(`engram_llm_extraction_fallbacks_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const modelBeliefs = {
  beliefs: [
    { about: 'self', predicate: 'lives_in', object: 'Porto', statement: 'lives in Porto', positive: true, confidence: 0.95, category: 'place', validFrom: null, validTo: null, when: null },
    { about: 'Maria', predicate: 'Works At', object: 'Acme', statement: 'works at Acme', positive: true, confidence: 0.9, category: 'occupation' },
    { about: 'self', predicate: 'plans_to', object: 'fly to Berlin', statement: 'plans to fly to Berlin', positive: true, confidence: 0.8, category: 'plan', when: '2024-05-17' },
  ],
};

describe('LLM extractor', () => {
  test('valid JSON (in a ```json fence) becomes validated beliefs; the prompt carries the speaker and the day', async () => {
    stub.replies(says(`Here you go:\n\`\`\`json\n${JSON.stringify(modelBeliefs)}\n\`\`\``));
    const { extractor: x, metrics } = extractor();
    assert.equal(x.name, 'llm:anthropic/claude-test');

    const out = await x.extract(input);

    assert.deepEqual(out, [
      { about: 'self', predicate: 'lives_in', object: 'Porto', statement: 'lives in Porto', positive: true, confidence: 0.95, category: 'place' },
      { about: 'self', predicate: 'works_at', object: 'Acme', statement: 'works at Acme', positive: true, confidence: 0.9, category: 'occupation' },
      { about: 'self', predicate: 'plans_to', object: 'fly to Berlin', statement: 'plans to fly to Berlin', positive: true, confidence: 0.8, category: 'plan', when: Date.UTC(2024, 4, 17) },
    ]);
    assert.equal(await fallbacks(metrics, 'invalid_json'), 0);
    assert.equal(await fallbacks(metrics, 'invalid_output'), 0);

    assert.equal(stub.requests.length, 1);
    const body = stub.requests[0]!.body as { system: string; messages: { role: string; content: string }[]; temperature: number };
    assert.match(body.system, /"beliefs"/);
    assert.match(body.system, /lives_in, from, works_at/, 'names the single-valued predicates');
    assert.match(body.system, /"I" means that speaker/);
    assert.equal(body.temperature, 0);
    const prompt = body.messages[0]!.content;
    assert.match(prompt, /^Speaker: the subject$/m);
    assert.match(prompt, /^Said on: 2024-05-10 \(Friday\)$/m);
    assert.match(prompt, /^Subject's names: Maria$/m);
    assert.ok(prompt.includes(input.text));
  });

  test('another speaker is named as such; a bare JSON array in a plain fence is accepted', async () => {
    const beliefs = [{ about: 'Anna', predicate: 'lives_in', object: 'Lisbon', statement: 'lives in Lisbon', confidence: 0.9, category: 'place', validTo: '2024-05-10' }];
    stub.replies(says(`\`\`\`\n${JSON.stringify(beliefs)}\n\`\`\``));
    const out = await extractor().extractor.extract({ ...input, speaker: 'Anna', text: 'I used to live in Lisbon.' });
    assert.match((stub.requests[0]!.body as { messages: { content: string }[] }).messages[0]!.content, /^Speaker: Anna \(not the subject\)$/m);
    assert.deepEqual(out, [
      { about: 'Anna', predicate: 'lives_in', object: 'Lisbon', statement: 'lives in Lisbon', positive: true, confidence: 0.9, category: 'place', validTo: Date.UTC(2024, 4, 10) },
    ]);
  });

  test('empty text: no call, no beliefs', async () => {
    stub.replies(says('{"beliefs":[]}'));
    assert.deepEqual(await extractor().extractor.extract({ ...input, text: '   ' }), []);
    assert.equal(stub.requests.length, 0);
  });
});

describe('falls back to the rules, counted by reason', () => {
  const cases: [string, () => void, string][] = [
    ['an answer that is not JSON', () => stub.replies(says('Maria lives in Porto and works at Acme.')), 'invalid_json'],
    ['an answer cut off mid-JSON', () => stub.replies(says('{"beliefs": [{"about": "self", "predic')), 'invalid_json'],
    [
      'a belief with an unknown category',
      () => stub.replies(says(JSON.stringify({ beliefs: [{ ...modelBeliefs.beliefs[0], category: 'banana' }] }))),
      'invalid_output',
    ],
    [
      'a confidence out of range beside a valid belief',
      () => stub.replies(says(JSON.stringify({ beliefs: [modelBeliefs.beliefs[0], { ...modelBeliefs.beliefs[1], confidence: 7 }] }))),
      'invalid_output',
    ],
    ['a date that is not a day', () => stub.replies(says(JSON.stringify({ beliefs: [{ ...modelBeliefs.beliefs[2], when: 'next Friday' }] }))), 'invalid_output'],
    ['JSON without beliefs', () => stub.replies(says('{"facts": []}')), 'invalid_output'],
    ['the provider failing', () => stub.replies({ status: 500, body: { error: { message: 'boom' } } }), 'upstream_failed'],
    ['the provider rate-limiting', () => stub.replies({ status: 429, headers: { 'retry-after': '1' } }), 'rate_limited'],
    ['the key being refused', () => stub.replies({ status: 401, body: { error: { message: 'invalid x-api-key' } } }), 'provider_unusable'],
  ];
  for (const [what, arrange, reason] of cases) {
    test(`${what} → ${reason}`, async () => {
      const expected = (await rules.extract(input)).map((b) => ({ ...b, engine: 'rules' }));
      assert.ok(expected.length > 0, 'the rules find something in this input, so a fallback is visible');
      arrange();
      const { extractor: x, metrics } = extractor();
      assert.deepEqual(await x.extract(input), expected);
      assert.equal(await fallbacks(metrics, reason), 1);
      assert.equal(stub.requests.length, 1);
    });
  }

  test('the provider down (nothing listening) → upstream_failed', async () => {
    const gone = await StubServer.start();
    await gone.close();
    const { extractor: x, metrics } = extractor({ ENGRAM_LLM_BASE_URL: gone.url });
    assert.deepEqual(await x.extract(input), (await rules.extract(input)).map((b) => ({ ...b, engine: 'rules' })));
    assert.equal(await fallbacks(metrics, 'upstream_failed'), 1);
  });
});

describe('createCore', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase('sqlite');
  });
  after(() => db.cleanup());

  const core = (env: Record<string, string>) => {
    const config = loadConfig({ LOG_LEVEL: 'silent', ...db.env, ...env });
    return createCore({ config, database: db.database, logger: createLogger('silent') });
  };

  test('without an LLM: the rule extractor, no client', () => {
    const c = core({});
    assert.equal(c.llm, undefined);
    assert.equal(c.extractor.name, rules.name);
  });

  test('with an LLM: the LLM extractor, its fallbacks in the app metrics', async () => {
    const c = core({ ENGRAM_LLM_PROVIDER: 'openai', ENGRAM_LLM_BASE_URL: stub.url, ENGRAM_LLM_MODEL: 'local-model', ENGRAM_LLM_MAX_RETRIES: '0' });
    assert.equal(c.llm?.provider, 'openai');
    assert.equal(c.extractor.name, 'llm:openai/local-model');
    stub.replies({ status: 200, body: { choices: [{ message: { role: 'assistant', content: 'not json' } }] } });
    assert.deepEqual(await c.extractor.extract(input), (await rules.extract(input)).map((b) => ({ ...b, engine: 'rules' })));
    assert.equal(stub.requests[0]!.path, '/v1/chat/completions');
    assert.equal(await fallbacks(c.metrics, 'invalid_json'), 1);
  });
});
