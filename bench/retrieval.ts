// Retrieval quality on public benchmark data, through a real `engram serve`: LoCoMo evidence recall and
// answer coverage, LongMemEval_S session recall — each beside a plain BM25-over-turns baseline computed in
// the same run on the same data. The data is read where it lies (../shared/data), never copied.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { spokenDay } from '../src/extraction/dates.js';
import { countTokens } from '../src/platform/tokens.js';
import type { Database } from '../src/platform/db/index.js';
import { fillPassages } from '../src/retrieval/indexing.js';
import { type NewDoc, indexDocs } from '../src/retrieval/store.js';
import { docsLackingVector, tenantsToEmbed, writeVectors } from '../src/retrieval/vectors.js';
import type { Embedder } from '../src/providers/embeddings.js';
import { createTestApp } from '../src/testing/app.js';
import { createTestDatabase } from '../src/testing/db.js';
import { Bm25Index, bm25Tokens } from './bm25.js';
import { type BenchEmbedder, maxWords, ownEmbedder, startLocalEmbedder } from './embedder.js';
import { onCleanup, sleep, stopChild } from './processes.js';
import { type BenchCase, type Suite, type SuiteContext, projectRoot, round, summarizeLatencies } from './report.js';
import { runScale, scaleParams } from './scale.js';
import { type Server, startServer } from './server.js';

export const dataDir = resolve(projectRoot, '..', 'shared', 'data');

// ---- HTTP ---------------------------------------------------------------------------------------------

async function call<T>(server: Server, path: string, body: unknown): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'x-api-key': server.key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (response.ok) return JSON.parse(text) as T;
    if (response.status === 429 && attempt < 20) {
      await sleep(200);
      continue;
    }
    throw new Error(`${path} answered ${response.status}: ${text.slice(0, 500)}`);
  }
}

/** Runs the tasks with at most `width` in flight. */
async function pool<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await task(items[next++]!);
  }));
}

/** Waits until every event is processed and, with an embedder, every search document has its vector. */
async function waitProcessed(ctx: SuiteContext, database: Database, embedder: Embedder | null): Promise<{ failed: number; ms: number }> {
  const started = performance.now();
  for (;;) {
    const { rows } = await sql<{ status: string; n: number | string }>`select status, count(*) as n from events group by status`.execute(database.db);
    const count = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
    const embedding = embedder ? (await tenantsToEmbed(database.db, embedder.model)).length : 0;
    if (count('received') + count('processing') + embedding === 0) return { failed: count('failed'), ms: performance.now() - started };
    await sleep(500);
  }
}

interface SearchItem {
  kind: string;
  evidence: string[];
}

/** Distinct values in rank order. */
function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

const share = (part: number, whole: number) => (whole ? round((100 * part) / whole, 1) : null);

// ---- LoCoMo -------------------------------------------------------------------------------------------

interface LocomoTurn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}
interface LocomoSample {
  sample_id: string;
  conversation: Record<string, unknown> & { speaker_a: string; speaker_b: string };
  qa: { question: string; answer?: unknown; evidence: string[]; category: number }[];
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "1:56 pm on 8 May, 2023" → epoch ms (UTC). */
export function locomoDate(text: string): number {
  const m = /(\d{1,2}):(\d{2})\s*(am|pm)\s+on\s+(\d{1,2})\s+(\w+),?\s+(\d{4})/i.exec(text);
  if (!m) throw new Error(`unreadable LoCoMo date "${text}"`);
  const hour = (Number(m[1]) % 12) + (m[3]!.toLowerCase() === 'pm' ? 12 : 0);
  return Date.UTC(Number(m[6]), MONTHS.indexOf(m[5]!.toLowerCase()), Number(m[4]), hour, Number(m[2]));
}

function locomoSessions(sample: LocomoSample): { index: number; at: number; turns: LocomoTurn[] }[] {
  const out: { index: number; at: number; turns: LocomoTurn[] }[] = [];
  for (const key of Object.keys(sample.conversation)) {
    const m = /^session_(\d+)$/.exec(key);
    if (!m) continue;
    const turns = sample.conversation[key] as LocomoTurn[];
    if (!Array.isArray(turns) || !turns.length) continue;
    out.push({ index: Number(m[1]), at: locomoDate(String(sample.conversation[`${key}_date_time`])), turns });
  }
  return out.sort((a, b) => a.index - b.index);
}

const categoryNames: Record<number, string> = { 1: 'multi-hop', 2: 'temporal', 3: 'open-domain', 4: 'single-hop', 5: 'adversarial' };

interface RecallTally {
  questions: number;
  sums: Record<string, number>;
}
const tally = (): RecallTally => ({ questions: 0, sums: {} });
function addRecall(t: RecallTally, values: Record<string, number>) {
  t.questions++;
  for (const [k, v] of Object.entries(values)) t.sums[k] = (t.sums[k] ?? 0) + v;
}
const averages = (t: RecallTally) => Object.fromEntries(Object.entries(t.sums).map(([k, v]) => [k, round((100 * v) / Math.max(1, t.questions), 1)]));

/** Share of the gold answer's content words that appear in a text. */
function coverage(answer: string, text: string): number | null {
  const wanted = distinct(bm25Tokens(answer));
  if (!wanted.length) return null;
  const present = new Set(bm25Tokens(text));
  return wanted.filter((w) => present.has(w)).length / wanted.length;
}

/** The baseline's context: its top turns, dated, packed while they fit the budget. */
function packTurns(lines: string[], budget: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = countTokens(`${line}\n`);
    if (used + cost > budget) continue;
    kept.push(line);
    used += cost;
  }
  return kept.join('\n');
}

export async function runLocomo(ctx: SuiteContext, server: Server, database: Database, limit: number, embedder: Embedder | null): Promise<BenchCase[]> {
  const file = join(dataDir, 'locomo', 'locomo10.json');
  const samples = (JSON.parse(readFileSync(file, 'utf8')) as LocomoSample[]).slice(0, limit);
  const ks = [5, 10, 25];
  const engram = { all: tally(), byCategory: new Map<number, RecallTally>() };
  const base = { all: tally(), byCategory: new Map<number, RecallTally>() };
  const cover = { engram1000: [] as number[], engram2000: [] as number[], base1000: [] as number[], base2000: [] as number[] };
  const searchMs: number[] = [];
  const contextMs: number[] = [];
  let turnsIngested = 0;
  let ingestMs = 0;
  let processMs = 0;
  let failed = 0;
  for (const sample of samples) {
    const sessions = locomoSessions(sample);
    const user = (await call<{ user_id: string }>(server, '/external/onboarding', { external_id: sample.sample_id })).user_id;
    // One envelope per turn: id = the conversation and the turn's dia_id; time = its session's date, a
    // second per turn so that turns keep their order.
    const sessionIds: string[] = [];
    for (const s of sessions) {
      sessionIds.push((await call<{ session_id: string }>(server, '/external/sessions', { user_id: user, session_type: 'conversation', expected_episode_count: s.turns.length })).session_id);
    }
    const envelopes = sessions.flatMap((s, n) =>
      s.turns.map((t, i) => ({
        session_id: sessionIds[n],
        envelope_id: `${sample.sample_id}:${t.dia_id}`,
        user_id: user,
        input_type: 'conversation_turn',
        timestamp: new Date(s.at + i * 1000).toISOString(),
        data: { speaker: t.speaker, text: t.text, ...(t.blip_caption ? { attachments: [{ type: 'image', caption: t.blip_caption }] } : {}) },
      })),
    );
    const started = performance.now();
    await pool(envelopes, 8, async (e) => void (await call(server, '/external/input', e)));
    ingestMs += performance.now() - started;
    turnsIngested += envelopes.length;
    const processed = await waitProcessed(ctx, database, embedder);
    processMs += processed.ms;
    failed += processed.failed;

    const baseline = new Bm25Index<{ id: string; line: string }>();
    for (const s of sessions) {
      for (const t of s.turns) {
        const text = `${t.speaker}: ${t.text}${t.blip_caption ? ` [shared: ${t.blip_caption}]` : ''}`;
        // Dated as the context writes a day, so that both sides are packed alike.
        baseline.add({ id: t.dia_id, line: `- [${spokenDay(s.at)}] ${text}` }, text);
      }
    }
    for (const qa of sample.qa) {
      if (!qa.evidence.length) continue;
      const res = await timed(searchMs, () => call<{ items: SearchItem[] }>(server, '/external/search', { user_id: user, query: qa.question, top_k: 60 }));
      const prefix = `${sample.sample_id}:`;
      const ranked = distinct(res.items.flatMap((i) => i.evidence)).map((e) => (e.startsWith(prefix) ? e.slice(prefix.length) : e));
      const baseHits = baseline.search(qa.question, 60);
      const recall = (ids: string[]) => Object.fromEntries(ks.map((k) => [`recall@${k}`, qa.evidence.filter((e) => ids.slice(0, k).includes(e)).length / qa.evidence.length]));
      for (const [side, ids] of [[engram, ranked], [base, baseHits.map((h) => h.id)]] as const) {
        const values = recall(ids);
        addRecall(side.all, values);
        const cat = side.byCategory.get(qa.category) ?? tally();
        addRecall(cat, values);
        side.byCategory.set(qa.category, cat);
      }
      if (qa.category !== 5 && qa.answer !== undefined) {
        const answer = String(qa.answer);
        for (const budget of [1000, 2000] as const) {
          const ctxRes = await timed(budget === 1000 ? contextMs : [], () =>
            call<{ ai_ready: { text: string } }>(server, '/external/context', { user_id: user, format: 'ai_ready', query: qa.question, max_tokens: budget }),
          );
          const e = coverage(answer, ctxRes.ai_ready.text);
          const b = coverage(answer, packTurns(baseHits.map((h) => h.line), budget));
          if (e !== null) cover[`engram${budget}`].push(e);
          if (b !== null) cover[`base${budget}`].push(b);
        }
      }
    }
    ctx.log(`LoCoMo ${sample.sample_id}: ${envelopes.length} turns, recall@10 so far ${averages(engram.all)['recall@10']}% (BM25 ${averages(base.all)['recall@10']}%)`);
  }
  const mean = (xs: number[]) => (xs.length ? round((100 * xs.reduce((a, b) => a + b, 0)) / xs.length, 1) : null);
  const perCategory = (side: typeof engram) =>
    Object.fromEntries([...side.byCategory.entries()].sort(([a], [b]) => a - b).map(([c, t]) => [categoryNames[c] ?? String(c), averages(t)['recall@10']!]));
  return [
    {
      name: 'LoCoMo evidence recall',
      params: { conversations: samples.length, turns: turnsIngested, questions: engram.all.questions },
      metrics: {
        engram: averages(engram.all),
        bm25_baseline: averages(base.all),
        engram_recall10_by_category: perCategory(engram),
        bm25_recall10_by_category: perCategory(base),
        answer_coverage: { engram_1000: mean(cover.engram1000) ?? 0, engram_2000: mean(cover.engram2000) ?? 0, bm25_1000: mean(cover.base1000) ?? 0, bm25_2000: mean(cover.base2000) ?? 0 },
        search_latency_ms: { p50: summarizeLatencies(searchMs).p50, p95: summarizeLatencies(searchMs).p95 },
        context_latency_ms: { p50: summarizeLatencies(contextMs).p50, p95: summarizeLatencies(contextMs).p95 },
        ingest_turns_per_s: round(turnsIngested / (ingestMs / 1000), 0),
        processing_wait_s: round(processMs / 1000, 1),
        failed_events: failed,
      },
      notes: [
        'Recall@k: share of a question\'s evidence dia_ids among the first k distinct envelope ids of /external/search (top_k 60), in rank order; a belief contributes its evidence envelopes. Questions without evidence are skipped; malformed evidence ids count as misses.',
        'Answer coverage: share of the gold answer\'s content words (stopwords dropped) present in ai_ready.text of /external/context with the question as query; categories 1–4 (adversarial items have no answer). The baseline packs its top turns, dated, to the same budget.',
        'BM25 baseline: one document per turn ("speaker: text [shared: caption]"), k1 1.2, b 0.75, stopwords dropped, no stemming.',
      ],
    },
  ];
}

async function timed<T>(samples: number[], run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  samples.push(performance.now() - started);
  return result;
}

// ---- LongMemEval_S ------------------------------------------------------------------------------------

interface LmeItem {
  question_id: string;
  question_type: string;
  question: string;
  question_date: string;
  haystack_session_ids: string[];
  haystack_dates: string[];
  haystack_sessions: { role: string; content: string; has_answer?: boolean }[][];
  answer_session_ids: string[];
}

/** "2023/05/20 (Sat) 02:21" → epoch ms (UTC). */
export function lmeDate(text: string): number {
  const m = /(\d{4})\/(\d{2})\/(\d{2})\s*\(\w+\)\s*(\d{2}):(\d{2})/.exec(text);
  if (!m) throw new Error(`unreadable LongMemEval date "${text}"`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
}

/** One user turn of a haystack: its id is `<question>/<session index>/<turn index>`. */
interface LmeTurn {
  id: string;
  session: number;
  at: number;
  text: string;
}

/** A haystack stored as one subject, and how to ask it the question. */
interface LmeLoaded {
  search(query: string, askedAt: number): Promise<SearchItem[]>;
  ingestMs: number;
  processMs: number;
  failed: number;
}

/**
 * Through a real server: sessions and turns over HTTP, then the pipeline processes them (beliefs
 * included), as an application would send them.
 */
function lmeOverHttp(ctx: SuiteContext, server: Server, database: Database, embedder: Embedder | null) {
  return async (q: LmeItem, turns: LmeTurn[]): Promise<LmeLoaded> => {
    const user = (await call<{ user_id: string }>(server, '/external/onboarding', { external_id: `lme-${q.question_id}` })).user_id;
    const sessionIds: (string | undefined)[] = [];
    for (const [s] of q.haystack_sessions.entries()) {
      const userTurns = turns.filter((t) => t.session === s).length;
      sessionIds.push(
        userTurns ? (await call<{ session_id: string }>(server, '/external/sessions', { user_id: user, session_type: 'chat', expected_episode_count: userTurns })).session_id : undefined,
      );
    }
    const envelopes = turns.map((t) => ({
      envelope_id: t.id,
      session_id: sessionIds[t.session],
      user_id: user,
      input_type: 'conversation_turn',
      timestamp: new Date(t.at).toISOString(),
      data: { speaker: 'user', text: t.text },
    }));
    const started = performance.now();
    await pool(envelopes, 8, async (e) => void (await call(server, '/external/input', e)));
    const ingestMs = performance.now() - started;
    const processed = await waitProcessed(ctx, database, embedder);
    return {
      search: async (query, askedAt) =>
        (await call<{ items: SearchItem[] }>(server, '/external/search', { user_id: user, query, top_k: 100, asked_at: new Date(askedAt).toISOString() })).items,
      ingestMs,
      processMs: processed.ms,
      failed: processed.failed,
    };
  };
}

/**
 * Straight into the search index of an in-process core (`--longmemeval-ingest direct`): each turn with
 * its passage, as accepting it would index it, but no pipeline (so no beliefs) and no HTTP. On SQLite it
 * reproduces the HTTP run's recall (LongMemEval's user turns yield few beliefs) in seconds instead of half
 * an hour: a quick check of a ranking change.
 */
async function lmeDirect(ctx: SuiteContext, embedder: BenchEmbedder | null): Promise<{ load: (q: LmeItem, turns: LmeTurn[]) => Promise<LmeLoaded>; close: () => Promise<void> }> {
  const db = await createTestDatabase(ctx.engine);
  const dropDb = onCleanup(() => db.cleanup());
  const app = await createTestApp(db, embedder ? { env: embedder.env } : {});
  const tenantId = 'lme-direct';
  return {
    load: async (q, turns) => {
      const subjectId = q.question_id;
      const docs: NewDoc[] = turns.map((t) => ({
        kind: 'event',
        refId: t.id,
        subjectId,
        envelopeId: t.id,
        sessionId: `${subjectId}/${t.session}`,
        speaker: 'user',
        occurredAt: t.at,
        body: t.text,
      }));
      const started = performance.now();
      fillPassages(docs);
      for (let i = 0; i < docs.length; i += 500) await indexDocs(db.database.db, tenantId, docs.slice(i, i + 500));
      // With an embedder, each turn's vector as the background job would write it.
      if (embedder) {
        const model = embedder.client.model;
        for (let lacking = await docsLackingVector(db.database.db, tenantId, model, 0, 256); lacking.length; lacking = await docsLackingVector(db.database.db, tenantId, model, lacking.at(-1)!.id, 256)) {
          const vectors = await embedder.client.embed(lacking.map((d) => d.text));
          await writeVectors(db.database.db, tenantId, model, lacking.map((d, i) => ({ docId: d.id, subjectId: d.subjectId, vector: vectors[i]! })), Date.now());
        }
      }
      return {
        search: async (query, askedAt) => (await app.core.search.search(tenantId, subjectId, { query, topK: 100, askedAt })).items,
        ingestMs: performance.now() - started,
        processMs: 0,
        failed: 0,
      };
    },
    close: async () => {
      await app.http.close();
      await dropDb();
    },
  };
}

export async function runLongMemEval(
  ctx: SuiteContext,
  ingest: { mode: 'http' | 'direct'; load: (q: LmeItem, turns: LmeTurn[]) => Promise<LmeLoaded> },
  limit: number,
  types: string[] | null,
): Promise<BenchCase[]> {
  const file = join(dataDir, 'longmemeval', 'longmemeval_s_cleaned.498q.json.gz');
  const items = (JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as LmeItem[])
    .filter((q) => !q.question_id.endsWith('_abs') && (!types || types.includes(q.question_type)))
    .slice(0, limit);
  const ks = [5, 10];
  const engram = { all: tally(), byType: new Map<string, RecallTally>() };
  const base = { all: tally(), byType: new Map<string, RecallTally>() };
  const searchMs: number[] = [];
  let turnCount = 0;
  let ingestMs = 0;
  let processMs = 0;
  let failed = 0;
  for (const [n, q] of items.entries()) {
    // The user's side of each session, as the official retrieval setup indexes it, dated by its session.
    const turns: LmeTurn[] = q.haystack_sessions.flatMap((session, s) =>
      session
        .map((t, i) => ({ t, i }))
        .filter(({ t }) => t.role === 'user' && t.content.trim())
        .map(({ t, i }) => ({ id: `${q.question_id}/${s}/${i}`, session: s, at: lmeDate(q.haystack_dates[s]!) + i * 1000, text: t.content })),
    );
    const loaded = await ingest.load(q, turns);
    ingestMs += loaded.ingestMs;
    processMs += loaded.processMs;
    failed += loaded.failed;
    turnCount += turns.length;

    const sessionOf = (envelopeId: string) => q.haystack_session_ids[Number(envelopeId.split('/')[1])]!;
    const found = await timed(searchMs, () => loaded.search(q.question, lmeDate(q.question_date)));
    const ranked = distinct(found.flatMap((i) => i.evidence).map(sessionOf));
    const baseline = new Bm25Index<string>();
    for (const t of turns) baseline.add(t.id, t.text);
    const baseRanked = distinct(baseline.search(q.question, 300).map(sessionOf));
    const answers = q.answer_session_ids;
    const recall = (ids: string[]) =>
      Object.fromEntries(
        ks.flatMap((k) => [
          [`any@${k}`, answers.some((a) => ids.slice(0, k).includes(a)) ? 1 : 0],
          [`all@${k}`, answers.every((a) => ids.slice(0, k).includes(a)) ? 1 : 0],
        ]),
      );
    for (const [side, ids] of [[engram, ranked], [base, baseRanked]] as const) {
      const values = recall(ids);
      addRecall(side.all, values);
      const t = side.byType.get(q.question_type) ?? tally();
      addRecall(t, values);
      side.byType.set(q.question_type, t);
    }
    if ((n + 1) % 25 === 0) ctx.log(`LongMemEval ${n + 1}/${items.length}: all@5 ${averages(engram.all)['all@5']}% (BM25 ${averages(base.all)['all@5']}%)`);
  }
  const byType = (side: typeof engram) => Object.fromEntries([...side.byType.entries()].sort().map(([t, v]) => [t, averages(v)['any@5']!]));
  return [
    {
      name: 'LongMemEval_S session recall',
      params: { questions: items.length, turns: turnCount, question_types: types ? types.join(',') : 'all', ingest: ingest.mode },
      metrics: {
        engram: averages(engram.all),
        bm25_baseline: averages(base.all),
        engram_any5_by_type: byType(engram),
        bm25_any5_by_type: byType(base),
        search_latency_ms: { p50: summarizeLatencies(searchMs).p50, p95: summarizeLatencies(searchMs).p95 },
        ingest_turns_per_s: round(turnCount / (ingestMs / 1000), 0),
        processing_wait_s: round(processMs / 1000, 1),
        failed_events: failed,
      },
      notes: [
        'Each question\'s haystack is one subject; its user turns are ingested (as the official retrieval setup indexes them), dated by their session. Abstention (_abs) questions are skipped.',
        ingest.mode === 'http'
          ? 'Ingest over HTTP into a real engram serve, processed by its pipeline; search through /external/search.'
          : 'Ingest direct: each turn written with its passage straight into the search index of an in-process core (no HTTP, no pipeline, so no beliefs); search through the same core as /external/search.',
        'Search: the question, top_k 100, asked_at the question date (relative dates count from it); sessions ranked by the first item that comes from them. all@k: every answer session among the first k sessions; any@k: at least one.',
        'No as_of filter: in 43 of the 132 temporal-reasoning questions (and one knowledge-update question) an evidence session is dated after the question date, a quirk of the data.',
        'BM25 baseline: one document per user turn, sessions ranked the same way.',
      ],
    },
  ];
}

// ---- the suite's server -------------------------------------------------------------------------------

export async function withServer<T>(ctx: SuiteContext, run: (server: Server, database: Database) => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  const testDb = await createTestDatabase(ctx.engine);
  const dropDb = onCleanup(() => testDb.cleanup());
  const scratch = mkdtempSync(join(tmpdir(), 'engram-bench-retrieval-'));
  const dropScratch = onCleanup(async () => rmSync(scratch, { recursive: true, force: true }));
  let server: Server | undefined;
  try {
    server = await startServer(ctx, { env: { ...testDb.env, LOG_LEVEL: 'warn', ...env }, scratch });
    return await run(server, testDb.database);
  } finally {
    if (server) await stopChild(server.child);
    await dropDb();
    await dropScratch();
  }
}

export const retrievalSuite: Suite = {
  name: 'retrieval',
  description: 'LoCoMo and LongMemEval_S recall via /external/search and /external/context beside plain BM25; search/context latency at 1M memories',
  flags: {
    datasets: 'comma-separated: locomo, longmemeval, scale (default all three)',
    limit: 'at most this many LoCoMo conversations and LongMemEval questions (default all)',
    'question-types': 'LongMemEval question types to run, comma-separated (default all)',
    'longmemeval-ingest': 'http (default: a real server and its pipeline, ~30 min) or direct (turns straight into the search index, no beliefs, ~20 s)',
    embedder:
      'none (default: lexical search), use (hybrid: a local Universal Sentence Encoder server, bench/embedder.ts; slow to encode, try --limit) or openai (hybrid: your own OpenAI-compatible server, from ENGRAM_EMBEDDINGS_BASE_URL, _MODEL and _API_KEY)',
    'embedding-cache': "with --embedder use: the file the encoder keeps its vectors in between runs (default in the system's temporary folder), or off",
    'scale-subjects': 'subjects of the scale corpus (default 1000)',
    'scale-per-subject': 'memories per subject (default 1000)',
    'big-subject': 'memories of the one big subject (default 100000)',
    queries: 'timed queries per scale measurement (default 200)',
  },
  async run(ctx) {
    const all = ['locomo', 'longmemeval', 'scale'];
    const datasets = (ctx.options.get('datasets') ?? all.join(',')).split(',');
    const limit = Math.floor(Number(ctx.options.get('limit') ?? Number.MAX_SAFE_INTEGER));
    const lmeIngest = ctx.options.get('longmemeval-ingest') ?? 'http';
    if (lmeIngest !== 'http' && lmeIngest !== 'direct') throw new Error(`--longmemeval-ingest must be http or direct, got "${lmeIngest}"`);
    const embedderName = ctx.options.get('embedder') ?? 'none';
    if (!['none', 'use', 'openai'].includes(embedderName)) throw new Error(`--embedder must be none, use or openai, got "${embedderName}"`);
    const cases: BenchCase[] = [];
    const wanted = embedderName !== 'none' && datasets.some((d) => d !== 'scale');
    const embedder = !wanted ? null : embedderName === 'use' ? await startLocalEmbedder(ctx) : ownEmbedder(process.env);
    // A partial run writes its own file (retrieval-<engine>-locomo.json, …-limit3.json), never over a whole
    // run's; one with your own server names the model its client asked for (the configured default included).
    const ownModel = embedderName === 'openai' && embedder ? `-${embedder.client.model.replace(/[^\w.-]+/g, '_')}` : '';
    const partial = [
      ...(all.every((d) => datasets.includes(d)) ? [] : all.filter((d) => datasets.includes(d))),
      ...(ctx.options.has('limit') ? [`limit${limit}`] : []),
      ...(ctx.options.has('question-types') ? ['some-types'] : []),
      ...(lmeIngest === 'direct' ? ['direct'] : []),
      ...(embedderName === 'none' ? [] : [`${embedderName}${ownModel}`]),
    ];
    try {
      if (datasets.includes('locomo')) cases.push(...(await withServer(ctx, (server, db) => runLocomo(ctx, server, db, limit, embedder?.client ?? null), embedder?.env)));
      const types = ctx.options.get('question-types')?.split(',') ?? null;
      if (datasets.includes('longmemeval')) {
        if (lmeIngest === 'direct') {
          const direct = await lmeDirect(ctx, embedder);
          try {
            cases.push(...(await runLongMemEval(ctx, { mode: 'direct', load: direct.load }, limit, types)));
          } finally {
            await direct.close();
          }
        } else {
          cases.push(...(await withServer(ctx, (server, db) => runLongMemEval(ctx, { mode: 'http', load: lmeOverHttp(ctx, server, db, embedder?.client ?? null) }, limit, types), embedder?.env)));
        }
      }
    } finally {
      await embedder?.stop();
    }
    if (datasets.includes('scale')) cases.push(...(await runScale(ctx, scaleParams(ctx.options))));
    return {
      cases,
      ...(partial.length ? { tag: partial.join('-') } : {}),
      notes: [
        'Goals from the issue: LoCoMo recall@10 ≥ 75% overall and ≥ 50% multi-hop; answer coverage at 1,000 tokens ≥ 80%; LongMemEval_S all@5 ≥ 95% and every type any@5 ≥ 85%; at 1M memories search p95 ≤ 20 ms, context p95 ≤ 50 ms, 100k-subject search p95 ≤ 100 ms, RSS ≤ 1 GiB.',
        embedder
          ? `Rule extractor; hybrid search: vectors of ${embedder.client.model} ${
              embedderName === 'use'
                ? `(512 dimensions; each text's first ${maxWords} words) from a local server speaking /v1/embeddings (bench/embedder.ts)`
                : `from ${embedder.env.ENGRAM_EMBEDDINGS_BASE_URL} (--embedder openai)`
            }, fused with the lexical lists.`
          : 'Rule extractor, no embedder (vectors off): the figures are lexical search plus beliefs, speakers, time and neighbouring turns.',
      ],
    };
  },
};
