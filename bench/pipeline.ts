// The self-model memory pipeline end to end through a real `engram serve` child process: conversation_turn
// envelopes accepted per second over HTTP, processed per second by the server's in-process worker (rule
// extractor) until every one is `processed`, and POST /external/context latency for a subject with 10,000
// beliefs bulk-loaded through the stores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { addEvidence, insertBelief } from '../src/beliefs/store.js';
import { insertEpisodeOnce } from '../src/episodes/store.js';
import type { Database } from '../src/platform/db/index.js';
import { systemClock } from '../src/platform/clock.js';
import { createIds } from '../src/platform/ids.js';
import { createTestDatabase } from '../src/testing/db.js';
import { type Turn, contextQuestions, generateBeliefs, generateTurns } from './conversation.js';
import { hasExited, machineBusyPercent, machineCpuTicks, onCleanup, processCpuSeconds, sleep, stopChild } from './processes.js';
import {
  type BenchCase,
  type LatencySummary,
  type Suite,
  type SuiteContext,
  formatNumber,
  numberOption,
  rate,
  round,
  summarizeLatencies,
} from './report.js';
import { type Server, startServer, tail } from './server.js';

/** The goals of the issue, reported against, never tuned to. */
const goals = { acceptedPerS: 1500, processedPerS: 300, contextP95Ms: 50 };

const warmupEnvelopes = 300;
const warmupContextRequests = 20;
const contextEpisodes = 500;
const statusSampleSize = 50;
const drainPollMs = 250;
/** Conversation time starts here; the bench's own clock is irrelevant to what the envelopes say. */
const conversationStart = Date.UTC(2026, 0, 5, 9, 0, 0);

interface Params {
  envelopes: number;
  connections: number;
  users: number;
  drainTimeoutMs: number;
  beliefs: number;
  contextRequests: number;
  analyze: boolean;
  seed: number;
  logLevel: string;
  cpuProfDir: string | undefined;
}

export const pipelineSuite: Suite = {
  name: 'pipeline',
  description: 'memory pipeline via `engram serve`: envelopes accepted/s, processed/s end to end, context latency at 10k beliefs',
  flags: {
    envelopes: 'conversation_turn envelopes per ingest case (default 5000)',
    connections: 'concurrent autocannon connections posting envelopes (default 10)',
    users: 'onboarded users the envelopes are spread over, round-robin (default 8)',
    'worker-concurrency': 'comma-separated ENGRAM_WORKER_CONCURRENCY values, a fresh database and server each (default 2,4; 2 is the server default)',
    'drain-timeout': 'seconds to wait, after the last accept, for every envelope to be processed (default 75)',
    beliefs: 'beliefs bulk-loaded for the context subject (default 10000)',
    'context-requests': 'timed POST /external/context requests per variant, after 20 warm-up ones (default 200)',
    analyze: 'PostgreSQL: ANALYZE beliefs, evidence and episodes after the bulk load, yes|no (default yes)',
    seed: 'PRNG seed for the generated conversations and beliefs (default 42)',
    'log-level': 'LOG_LEVEL of the server (default info, the server default: one log line per request)',
    'cpu-prof': 'directory to write the server\'s V8 CPU profiles to (node --cpu-prof); off by default',
  },
  async run(ctx) {
    const params: Params = {
      envelopes: Math.floor(numberOption(ctx.options, 'envelopes', 5000)),
      connections: Math.floor(numberOption(ctx.options, 'connections', 10)),
      users: Math.floor(numberOption(ctx.options, 'users', 8)),
      drainTimeoutMs: numberOption(ctx.options, 'drain-timeout', 75) * 1000,
      beliefs: Math.floor(numberOption(ctx.options, 'beliefs', 10_000)),
      contextRequests: Math.floor(numberOption(ctx.options, 'context-requests', 200)),
      analyze: (ctx.options.get('analyze') ?? 'yes') !== 'no',
      seed: Math.floor(numberOption(ctx.options, 'seed', 42)),
      logLevel: ctx.options.get('log-level') ?? 'info',
      cpuProfDir: ctx.options.get('cpu-prof'),
    };
    const concurrencies = (ctx.options.get('worker-concurrency') ?? '2,4').split(',').map((s) => Math.floor(Number(s)));
    if (concurrencies.some((n) => !(n >= 1 && n <= 64))) throw new Error('--worker-concurrency takes values between 1 and 64, e.g. 2,4');
    const cases: BenchCase[] = [];
    for (const [i, concurrency] of concurrencies.entries()) {
      // Context latency is measured once, on the first server (the default configuration), after its drain.
      cases.push(...(await runServerCase(ctx, params, concurrency, i === 0)));
    }
    return { cases, notes: suiteNotes(ctx, params) };
  },
};

function suiteNotes(ctx: SuiteContext, p: Params): string[] {
  const notes = [
    `Goals from the issue: ≥ ${formatNumber(goals.acceptedPerS)} envelopes accepted/s, ≥ ${goals.processedPerS} processed/s with the rule extractor, context p95 ≤ ${goals.contextP95Ms} ms.`,
    'One machine: the server (HTTP and its in-process worker on one event loop), autocannon and, for PostgreSQL, the database share the CPUs.',
    `Envelopes are generated from templates with a seeded PRNG (seed ${p.seed}): 1–3 sentence chat turns, about a third small talk only, ` +
      `the rest facts (places, jobs, preferences, plans, relations) with moves and job changes, spread round-robin over ${p.users} users, no sessions.`,
    `Each ingest case: fresh database and server; ${warmupEnvelopes} warm-up envelopes for another user are posted and processed first and are not counted.`,
    'processed/s runs from the first measured envelope received to the last one processed, both read from the events table (server clock); ' +
      'the worker starts on the first envelope, so ingest and processing overlap as they would in service.',
    `Context: a separate user with ${formatNumber(p.beliefs)} beliefs (about 10% superseded), one evidence row each and ${contextEpisodes} episodes, ` +
      'inserted through the stores (insertBelief, addEvidence, insertEpisodeOnce) in one transaction by the bench process, while the server idles after its drain.',
  ];
  if (ctx.engine === 'postgres') {
    notes.push(
      p.analyze
        ? 'PostgreSQL: beliefs, belief_evidence and episodes are ANALYZEd after the bulk load (a long-running server would have autovacuum statistics).'
        : 'PostgreSQL: no ANALYZE after the bulk load; plans depend on whether autovacuum has run.',
      'PostgreSQL: the jobs table is never ANALYZEd by the bench; postgres_jobs_autoanalyze_count says whether autovacuum did during the case ' +
        '(before it does, the claim query sorts every queued job).',
    );
  }
  return notes;
}

async function runServerCase(ctx: SuiteContext, p: Params, concurrency: number, withContext: boolean): Promise<BenchCase[]> {
  const testDb = await createTestDatabase(ctx.engine);
  const dropDb = onCleanup(() => testDb.cleanup());
  const scratch = mkdtempSync(join(tmpdir(), 'engram-bench-pipeline-'));
  const dropScratch = onCleanup(async () => rmSync(scratch, { recursive: true, force: true }));
  let server: Server | undefined;
  try {
    server = await startServer(ctx, {
      env: { ...testDb.env, LOG_LEVEL: p.logLevel, ENGRAM_WORKER_CONCURRENCY: String(concurrency) },
      scratch,
      name: `server-c${concurrency}`,
      ...(p.cpuProfDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${p.cpuProfDir}`, `--cpu-prof-name=${ctx.engine}-c${concurrency}.cpuprofile`] } : {}),
    });
    const cases = [await ingestCase(ctx, p, server, testDb.database, concurrency)];
    if (withContext) cases.push(...(await contextCases(ctx, p, server, testDb.database)));
    return cases;
  } finally {
    if (server) await stopChild(server.child);
    await dropDb();
    await dropScratch();
  }
}

// ---- HTTP helpers -------------------------------------------------------------------------------------

async function call<T>(server: Server, method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; json: T; bytes: number }> {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: { 'x-api-key': server.key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
}

async function onboard(server: Server, externalId: string, displayName: string): Promise<string> {
  const r = await call<{ user_id: string }>(server, 'POST', '/external/onboarding', { external_id: externalId, display_name: displayName });
  if (r.status !== 200 && r.status !== 201) throw new Error(`onboarding ${externalId} answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json.user_id;
}

const envelopeBody = (turn: Turn, userId: string) =>
  JSON.stringify({
    envelope_id: turn.envelopeId,
    user_id: userId,
    input_type: 'conversation_turn',
    timestamp: turn.timestamp,
    data: { text: turn.text, speaker: 'user' },
  });

/**
 * Posts the turns once each from `connections` autocannon connections. setupRequest hands out the next
 * turn; autocannon builds one request ahead per connection, so a few turns at the end are never sent
 * (the events table, not this list, is what the figures count).
 */
async function postEnvelopes(server: Server, turns: Turn[], userIds: string[], connections: number) {
  let next = 0;
  const latencies: number[] = [];
  const instance = autocannon({
    url: server.baseUrl,
    connections,
    pipelining: 1,
    amount: turns.length - 2 * connections,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/external/input',
        headers: { 'content-type': 'application/json', 'x-api-key': server.key },
        setupRequest: (request) => {
          const turn = turns[Math.min(next++, turns.length - 1)]!;
          return { ...request, body: envelopeBody(turn, userIds[turn.user]!) };
        },
      },
    ],
  });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  return { result, latency: summarizeLatencies(latencies), statusCodes, requests: result.requests.total };
}

// ---- database reads (the bench only reads what the server wrote) -------------------------------------

async function countSettled(database: Database, subjectIds: string[]): Promise<number> {
  const row = await database.db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('subject_id', 'in', subjectIds)
    .where('status', 'in', ['processed', 'failed'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Polls until `expected` events of these subjects are processed or failed; false on timeout. */
async function waitSettled(database: Database, subjectIds: string[], expected: number, timeoutMs: number, server: Server): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(server.child)) throw new Error(`engram serve died while processing:\n${tail(server.logFile)}`);
    if ((await countSettled(database, subjectIds)) >= expected) return true;
    await sleep(drainPollMs);
  }
  return false;
}

async function countBy(database: Database, table: 'events' | 'jobs' | 'beliefs', subjectIds?: string[]): Promise<Record<string, number>> {
  let q = database.db.selectFrom(table).select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status');
  if (subjectIds && table !== 'jobs') q = q.where('subject_id', 'in', subjectIds);
  const rows = await q.execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

// ---- 1 and 2: envelopes accepted and processed ---------------------------------------------------------

/** Warm-up envelopes for a user of their own, posted and processed before anything is measured. */
async function warmUp(p: Params, server: Server, database: Database): Promise<void> {
  const userId = await onboard(server, 'bench-warmup', 'Warm Up');
  const turns = generateTurns({ count: warmupEnvelopes + 2 * p.connections, users: 1, seed: p.seed + 1, startMs: conversationStart, prefix: 'warmup' });
  await postEnvelopes(server, turns, [userId], p.connections);
  if (!(await waitSettled(database, [userId], warmupEnvelopes, p.drainTimeoutMs, server))) throw new Error('warm-up envelopes were not processed in time');
}

/** Where the CPU went from one reading to the next: the server process, this process, the whole machine. */
function cpuReading(server: Server) {
  return { at: performance.now(), server: processCpuSeconds(server.child.pid!), client: process.cpuUsage(), machine: machineCpuTicks() };
}

function cpuSince(before: ReturnType<typeof cpuReading>, after: ReturnType<typeof cpuReading>) {
  const ms = after.at - before.at;
  const client = (after.client.user + after.client.system - before.client.user - before.client.system) / 1e3;
  return {
    ms,
    serverCpuSeconds: before.server !== null && after.server !== null ? after.server - before.server : null,
    serverPercent: percentOfCore(before.server, after.server, ms),
    clientPercent: ms > 0 ? Math.round((client / ms) * 100) : null,
    machinePercent: machineBusyPercent(before.machine, after.machine),
  };
}

async function ingestCase(ctx: SuiteContext, p: Params, server: Server, database: Database, concurrency: number): Promise<BenchCase> {
  const label = `envelopes, worker concurrency ${concurrency}`;
  await warmUp(p, server, database);
  const userIds: string[] = [];
  for (let u = 0; u < p.users; u++) userIds.push(await onboard(server, `bench-user-${u}`, `User ${u}`));
  const turns = generateTurns({ count: p.envelopes + 2 * p.connections, users: p.users, seed: p.seed, startMs: conversationStart, prefix: 'env' });

  const start = cpuReading(server);
  const post = await postEnvelopes(server, turns, userIds, p.connections);
  const ingested = cpuReading(server);
  if (hasExited(server.child)) throw new Error(`engram serve died under load:\n${tail(server.logFile)}`);
  const ingest = cpuSince(start, ingested);
  const accepted = post.statusCodes['200'] ?? 0;
  const acceptedPerS = rate(accepted, ingest.ms);
  const lat = post.latency;
  ctx.log(
    `${label}: ${formatNumber(accepted)} of ${formatNumber(post.requests)} accepted in ${round(ingest.ms / 1000, 2)} s → ${formatNumber(acceptedPerS)} accepted/s ` +
      `(p50 ${lat.p50} / p95 ${lat.p95} / p99 ${lat.p99} ms; codes ${JSON.stringify(post.statusCodes)}; errors ${post.result.errors}; ` +
      `CPU: server ${ingest.serverPercent ?? '?'}% of a core, autocannon ${ingest.clientPercent}%, machine ${ingest.machinePercent ?? '?'}% busy)`,
  );

  const complete = await waitSettled(database, userIds, accepted, p.drainTimeoutMs, server);
  const drained = cpuReading(server);
  const drain = cpuSince(ingested, drained);
  const whole = cpuSince(start, drained);
  const timing = await processingTiming(database, userIds);
  const events = await countBy(database, 'events', userIds);
  const beliefs = await countBy(database, 'beliefs', userIds);
  const jobs = await countBy(database, 'jobs');
  const sample = await statusSample(server, timing.envelopeIds, p.seed);
  const jobsAnalyzed = database.engine === 'postgres' ? await autoAnalyzeCount(database, 'jobs') : null;
  const cpuMsPerEnvelope = whole.serverCpuSeconds !== null && timing.processed ? round((whole.serverCpuSeconds * 1000) / timing.processed, 2) : null;
  ctx.log(
    `${label}: ${complete ? 'all' : `INCOMPLETE after ${round(drain.ms / 1000)} s:`} ${formatNumber(timing.processed)} processed ` +
      `in ${round(timing.endToEndMs / 1000, 2)} s from first received → ${formatNumber(timing.processedPerS)} processed/s ` +
      `(${formatNumber(timing.processedDuringIngest)} done by the last accept; after it ${formatNumber(timing.drainPerS)}/s; ` +
      `accept→processed p50 ${timing.lag.p50} / p95 ${timing.lag.p95} ms; server CPU ${drain.serverPercent ?? '?'}% of a core after the last accept, ` +
      `${cpuMsPerEnvelope ?? '?'} ms of server CPU per envelope in all)`,
  );
  ctx.log(`${label}: events ${JSON.stringify(events)}, beliefs ${JSON.stringify(beliefs)}, jobs ${JSON.stringify(jobs)}, status sample ${JSON.stringify(sample)}`);

  const notes: string[] = [];
  if (post.result.non2xx > 0) notes.push(`${formatNumber(post.result.non2xx)} of ${formatNumber(post.requests)} posts were not 2xx: ${JSON.stringify(post.statusCodes)}`);
  if (!complete) notes.push(`drain gave up after ${p.drainTimeoutMs / 1000} s; processed/s counts what was processed by then`);
  notes.push(goalNote('accepted/s', acceptedPerS, goals.acceptedPerS, '≥'), goalNote('processed/s (end to end)', timing.processedPerS, goals.processedPerS, '≥'));
  return {
    name: label,
    params: {
      envelopes: p.envelopes,
      users: p.users,
      connections: p.connections,
      pipelining: 1,
      worker_concurrency: concurrency,
      extractor: 'rules',
      server_log_level: p.logLevel,
      seed: p.seed,
    },
    metrics: {
      posted: post.requests,
      accepted,
      status_codes: post.statusCodes,
      errors: post.result.errors,
      timeouts: post.result.timeouts,
      ingest_ms: round(ingest.ms),
      accepted_per_s: acceptedPerS,
      accept_latency_ms_p50: lat.p50,
      accept_latency_ms_p95: lat.p95,
      accept_latency_ms_p99: lat.p99,
      accept_latency_ms_max: lat.max,
      ingest_server_cpu_percent_of_one_core: ingest.serverPercent,
      ingest_autocannon_cpu_percent_of_one_core: ingest.clientPercent,
      ingest_machine_cpu_busy_percent: ingest.machinePercent,
      drain_complete: complete,
      processed: timing.processed,
      end_to_end_ms: timing.endToEndMs,
      processed_per_s: timing.processedPerS,
      processed_by_last_accept: timing.processedDuringIngest,
      processed_per_s_while_ingesting: timing.ingestPerS,
      processed_per_s_after_last_accept: timing.drainPerS,
      processed_per_s_by_5s_window: timing.windows,
      accept_to_processed_ms_p50: timing.lag.p50,
      accept_to_processed_ms_p95: timing.lag.p95,
      accept_to_processed_ms_max: timing.lag.max,
      after_ingest_server_cpu_percent_of_one_core: drain.serverPercent,
      after_ingest_machine_cpu_busy_percent: drain.machinePercent,
      server_cpu_ms_per_envelope: cpuMsPerEnvelope,
      events_by_status: events,
      beliefs_by_status: beliefs,
      beliefs_per_envelope: round(Object.values(beliefs).reduce((a, b) => a + b, 0) / Math.max(1, timing.processed), 2),
      jobs_by_status: jobs,
      postgres_jobs_autoanalyze_count: jobsAnalyzed,
      status_sample: sample,
    },
    notes,
  };
}

const percentOfCore = (before: number | null, after: number | null, ms: number) =>
  before !== null && after !== null && ms > 0 ? Math.round(((after - before) / (ms / 1000)) * 100) : null;

const goalNote = (what: string, value: number, goal: number, sense: '≥' | '≤') =>
  `goal ${what} ${sense} ${formatNumber(goal)}: ${formatNumber(value)} — ${(sense === '≥' ? value >= goal : value <= goal) ? 'met' : 'NOT met'}`;

interface Timing {
  envelopeIds: string[];
  processed: number;
  endToEndMs: number;
  processedPerS: number;
  processedDuringIngest: number;
  ingestPerS: number;
  drainPerS: number;
  windows: Record<string, number>;
  lag: LatencySummary;
}

/** From the events table: first received, last received, each processed_at, all on the server's clock. */
async function processingTiming(database: Database, subjectIds: string[]): Promise<Timing> {
  const rows = await database.db
    .selectFrom('events')
    .select(['envelope_id', 'received_at', 'processed_at', 'status'])
    .where('subject_id', 'in', subjectIds)
    .execute();
  const first = Math.min(...rows.map((r) => r.received_at));
  const lastReceived = Math.max(...rows.map((r) => r.received_at));
  const done = rows.filter((r) => r.status === 'processed' && r.processed_at !== null).map((r) => ({ at: r.processed_at!, lag: r.processed_at! - r.received_at }));
  const lastProcessed = done.length ? Math.max(...done.map((d) => d.at)) : first;
  const byIngestEnd = done.filter((d) => d.at <= lastReceived).length;
  const windows: Record<string, number> = {};
  for (const d of done) {
    const w = Math.floor((d.at - first) / 5000) * 5;
    windows[`${w}-${w + 5}s`] = (windows[`${w}-${w + 5}s`] ?? 0) + 1;
  }
  for (const key of Object.keys(windows)) windows[key] = round(windows[key]! / 5, 1);
  return {
    envelopeIds: rows.map((r) => r.envelope_id),
    processed: done.length,
    endToEndMs: lastProcessed - first,
    processedPerS: rate(done.length, lastProcessed - first),
    processedDuringIngest: byIngestEnd,
    ingestPerS: rate(byIngestEnd, lastReceived - first),
    drainPerS: rate(done.length - byIngestEnd, lastProcessed - lastReceived),
    windows,
    lag: summarizeLatencies(done.map((d) => d.lag)),
  };
}

/**
 * How often autovacuum has ANALYZEd a table of this fresh schema: until it has, the planner knows nothing
 * of the queued jobs, and the claim query's plan depends on it.
 */
async function autoAnalyzeCount(database: Database, table: string): Promise<number | null> {
  const r = await sql<{ n: number }>`select autoanalyze_count as n from pg_stat_user_tables where schemaname = current_schema() and relname = ${table}`.execute(database.db);
  return r.rows[0] ? Number(r.rows[0].n) : null;
}

/** GET /external/input/{id}/status for a sample of envelopes: what a client polling for completion sees. */
async function statusSample(server: Server, envelopeIds: string[], seed: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const step = Math.max(1, Math.floor(envelopeIds.length / statusSampleSize));
  for (let i = seed % step; i < envelopeIds.length && Object.values(out).reduce((a, b) => a + b, 0) < statusSampleSize; i += step) {
    const r = await call<{ status: string }>(server, 'GET', `/external/input/${encodeURIComponent(envelopeIds[i]!)}/status`);
    const key = r.status === 200 ? r.json.status : `http_${r.status}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

// ---- 3: context latency at 10,000 beliefs --------------------------------------------------------------

async function contextCases(ctx: SuiteContext, p: Params, server: Server, database: Database): Promise<BenchCase[]> {
  const userId = await onboard(server, 'bench-context-user', 'Maya');
  const tenants = await database.db.selectFrom('tenants').select('id').execute();
  if (tenants.length !== 1) throw new Error(`expected the one bootstrap tenant, found ${tenants.length}`);
  const tenantId = tenants[0]!.id;
  const load = await bulkLoad(database, tenantId, userId, p);
  ctx.log(`context: loaded ${formatNumber(p.beliefs)} beliefs (+ evidence) and ${contextEpisodes} episodes for one user in ${round(load.ms / 1000, 2)} s`);
  if (database.engine === 'postgres' && p.analyze) await sql`analyze beliefs, belief_evidence, episodes`.execute(database.db);

  const variants = [
    { name: 'POST /external/context ai_ready, no query', query: false },
    { name: 'POST /external/context ai_ready with query', query: true },
  ];
  const cases: BenchCase[] = [];
  for (const v of variants) {
    const body = (i: number) => ({
      user_id: userId,
      format: 'ai_ready',
      max_tokens: 2000,
      ...(v.query ? { query: contextQuestions[i % contextQuestions.length] } : {}),
    });
    for (let i = 0; i < warmupContextRequests; i++) await contextRequest(server, body(i));
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    let bytes = 0;
    let tokens = 0;
    const before = cpuReading(server);
    for (let i = 0; i < p.contextRequests; i++) {
      const r = await contextRequest(server, body(i));
      latencies.push(r.ms);
      statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
      bytes += r.bytes;
      tokens += r.tokens;
    }
    const cpu = cpuSince(before, cpuReading(server));
    const cpuMsPerRequest = cpu.serverCpuSeconds === null ? null : round((cpu.serverCpuSeconds * 1000) / p.contextRequests, 2);
    const lat = summarizeLatencies(latencies);
    ctx.log(
      `${v.name}: ${p.contextRequests} sequential requests, p50 ${lat.p50} / p95 ${lat.p95} / p99 ${lat.p99} / max ${lat.max} ms, ` +
        `~${formatNumber(Math.round(bytes / p.contextRequests))} bytes and ${Math.round(tokens / p.contextRequests)} tokens each, codes ${JSON.stringify(statuses)}, ` +
        `server CPU ${cpuMsPerRequest ?? '?'} ms per request, machine ${cpu.machinePercent ?? '?'}% busy`,
    );
    cases.push({
      name: v.name,
      params: {
        beliefs: p.beliefs,
        episodes: contextEpisodes,
        format: 'ai_ready',
        max_tokens: 2000,
        query: v.query,
        requests: p.contextRequests,
        warmup_requests: warmupContextRequests,
        sequential: true,
        analyzed: database.engine === 'postgres' ? p.analyze : null,
      },
      metrics: {
        latency_ms_mean: lat.mean,
        latency_ms_p50: lat.p50,
        latency_ms_p95: lat.p95,
        latency_ms_p99: lat.p99,
        latency_ms_max: lat.max,
        requests_per_s: rate(p.contextRequests, cpu.ms),
        status_codes: statuses,
        response_bytes_mean: Math.round(bytes / p.contextRequests),
        ai_ready_tokens_mean: Math.round(tokens / p.contextRequests),
        server_cpu_ms_per_request: cpuMsPerRequest,
        machine_cpu_busy_percent: cpu.machinePercent,
        bulk_load_ms: round(load.ms),
        active_beliefs: load.active,
      },
      notes: [goalNote('context p95 ms', lat.p95, goals.contextP95Ms, '≤')],
    });
  }
  return cases;
}

async function contextRequest(server: Server, body: unknown): Promise<{ ms: number; status: number; bytes: number; tokens: number }> {
  const started = performance.now();
  const r = await call<{ ai_ready?: { token_count: number } | null }>(server, 'POST', '/external/context', body);
  const ms = performance.now() - started;
  if (r.status !== 200) throw new Error(`POST /external/context answered ${r.status}: ${JSON.stringify(r.json).slice(0, 500)}`);
  return { ms, status: r.status, bytes: r.bytes, tokens: r.json.ai_ready?.token_count ?? 0 };
}

/** One transaction: the beliefs, one evidence row each, and some episodes, through the stores' own inserts. */
async function bulkLoad(database: Database, tenantId: string, subjectId: string, p: Params): Promise<{ ms: number; active: number }> {
  const ids = createIds(systemClock);
  const now = Date.now();
  const beliefs = generateBeliefs({ count: p.beliefs, subjectId, seed: p.seed + 2, nowMs: now, supersededShare: 0.1, newId: () => ids.next() });
  const started = performance.now();
  await database.db.transaction().execute(async (trx) => {
    for (const [i, belief] of beliefs.entries()) {
      await insertBelief(trx, tenantId, belief);
      await addEvidence(trx, tenantId, { beliefId: belief.id, eventId: `bench-event-${i}`, subjectId, envelopeId: `bench-envelope-${i}`, createdAt: belief.firstSeen });
    }
    for (let i = 0; i < contextEpisodes; i++) {
      const at = now - (contextEpisodes - i) * 3_600_000;
      await insertEpisodeOnce(trx, tenantId, {
        id: ids.next(),
        subjectId,
        eventId: `bench-episode-event-${i}`,
        sessionId: null,
        occurredAt: at,
        summary: `Talked about ${contextQuestions[i % contextQuestions.length]!.toLowerCase().replace(/\?$/, '')}`,
        createdAt: at,
      });
    }
  });
  return { ms: performance.now() - started, active: beliefs.filter((b) => b.status === 'active').length };
}
