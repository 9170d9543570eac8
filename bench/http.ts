// HTTP throughput: a real `engram serve` child process on a free 127.0.0.1 port over its own database,
// loaded by autocannon from this process; an unauthenticated baseline and an X-API-Key route.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase } from '../src/testing/db.js';
import { hasExited, machineBusyPercent, machineCpuTicks, onCleanup, processCpuSeconds, stopChild } from './processes.js';
import { type BenchCase, type Suite, type SuiteContext, formatNumber, numberOption, round, summarizeLatencies } from './report.js';
import { type Server, startServer, tail } from './server.js';

const warmupSeconds = 1;

interface Target {
  name: string;
  path: string;
  authenticated: boolean;
}

const targets: Target[] = [
  { name: 'GET /healthz', path: '/healthz', authenticated: false },
  { name: 'GET /external/context/formats (X-API-Key)', path: '/external/context/formats', authenticated: true },
];

export const httpSuite: Suite = {
  name: 'http',
  description: 'requests/s and latency of a real `engram serve` process under autocannon',
  flags: {
    duration: 'seconds of load per route (default 10, at most 10)',
    connections: 'concurrent autocannon connections (default 10)',
    'log-level': 'LOG_LEVEL of the server (default info, the server default: one log line per request)',
  },
  async run(ctx) {
    const duration = Math.min(10, numberOption(ctx.options, 'duration', 10));
    const connections = Math.floor(numberOption(ctx.options, 'connections', 10));
    const logLevel = ctx.options.get('log-level') ?? 'info';
    const testDb = await createTestDatabase(ctx.engine);
    const dropDb = onCleanup(() => testDb.cleanup());
    const scratch = mkdtempSync(join(tmpdir(), 'engram-bench-http-'));
    const dropScratch = onCleanup(async () => rmSync(scratch, { recursive: true, force: true }));
    let server: Server | undefined;
    try {
      server = await startServer(ctx, { env: { ...testDb.env, LOG_LEVEL: logLevel }, scratch });
      const probes = await probeAuth(server);
      ctx.log(`auth probe on /external/context/formats: with key → ${probes.withKey}, without → ${probes.withoutKey}`);
      const cases: BenchCase[] = [];
      for (const target of targets) cases.push(await load(ctx, server, target, { duration, connections, logLevel }));
      const notes = [
        'autocannon runs in the bench process on the same machine: the server and the load generator share the CPUs.',
        'The bench key is the bootstrap self-model key: self-model keys have no rate limit unless one is set, so no limiter write runs.',
        `Auth probe (one request each): with key ${probes.withKey}, without key ${probes.withoutKey}.`,
      ];
      if (probes.withKey !== 200) {
        notes.push(
          `The authenticated route answered ${probes.withKey}, not 200: its figures measure that answer, not an authenticated read.`,
        );
      }
      return { cases, notes };
    } finally {
      if (server) await stopChild(server.child);
      await dropDb();
      await dropScratch();
    }
  },
};

async function probeAuth(server: Server): Promise<{ withKey: number; withoutKey: number }> {
  const url = `${server.baseUrl}/external/context/formats`;
  const withKey = (await fetch(url, { headers: { 'x-api-key': server.key } })).status;
  const withoutKey = (await fetch(url)).status;
  return { withKey, withoutKey };
}

interface LoadOptions {
  duration: number;
  connections: number;
  logLevel: string;
}

async function load(ctx: SuiteContext, server: Server, target: Target, opts: LoadOptions): Promise<BenchCase> {
  const m = await measure(server, target, opts);
  const { result, latency: lat } = m;
  const requests = result.requests.total;
  const rps = Math.round(requests / result.duration);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, s]) => [code, s.count]));
  const codes = Object.entries(statusCodes).map(([c, n]) => `${c}×${formatNumber(n)}`).join(', ');
  ctx.log(
    `${target.name}: ${formatNumber(rps)} req/s over ${result.duration} s, latency p50 ${lat.p50} / p95 ${lat.p95} / p99 ${lat.p99} ms, ` +
      `non-2xx ${formatNumber(result.non2xx)} (${codes || 'no responses'}), errors ${result.errors}, ` +
      `CPU: server ${m.serverCpuPercent ?? '?'}%, autocannon ${m.clientCpuPercent}% of a core`,
  );
  return {
    name: target.name,
    params: {
      path: target.path,
      authenticated: target.authenticated,
      connections: opts.connections,
      pipelining: 1,
      duration_s: opts.duration,
      warmup_s: warmupSeconds,
      server_log_level: opts.logLevel,
    },
    metrics: {
      requests,
      requests_per_s: rps,
      latency_ms_p50: lat.p50,
      latency_ms_p95: lat.p95,
      latency_ms_p99: lat.p99,
      latency_ms_max: lat.max,
      non_2xx: result.non2xx,
      status_codes: statusCodes,
      errors: result.errors,
      timeouts: result.timeouts,
      server_cpu_percent_of_one_core: m.serverCpuPercent,
      autocannon_cpu_percent_of_one_core: m.clientCpuPercent,
      machine_cpu_busy_percent: m.machineCpuPercent,
      duration_s: round(result.duration, 2),
    },
    notes: result.non2xx > 0 ? [`${formatNumber(result.non2xx)} of ${formatNumber(requests)} answers were not 2xx: ${codes}`] : [],
  };
}

/** One autocannon run after a discarded warm-up, with every response time and where the CPU went. */
async function measure(server: Server, target: Target, opts: LoadOptions) {
  const run = (duration: number) =>
    autocannon({
      url: `${server.baseUrl}${target.path}`,
      connections: opts.connections,
      pipelining: 1,
      duration,
      timeout: 10,
      headers: target.authenticated ? { 'x-api-key': server.key } : {},
    });
  // JIT, connection set-up and the first database reads happen in the warm-up, not in the figures.
  await run(warmupSeconds);
  const latencies: number[] = [];
  const serverBefore = processCpuSeconds(server.child.pid!);
  const machineBefore = machineCpuTicks();
  const clientBefore = process.cpuUsage();
  const instance = run(opts.duration);
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const result = await instance;
  const client = process.cpuUsage(clientBefore);
  const machineAfter = machineCpuTicks();
  const serverAfter = processCpuSeconds(server.child.pid!);
  if (hasExited(server.child)) throw new Error(`engram serve died under load:\n${tail(server.logFile)}`);
  const percentOfCore = (seconds: number) => Math.round((seconds / result.duration) * 100);
  return {
    result,
    latency: summarizeLatencies(latencies),
    serverCpuPercent: serverBefore !== null && serverAfter !== null ? percentOfCore(serverAfter - serverBefore) : null,
    clientCpuPercent: percentOfCore((client.user + client.system) / 1e6),
    machineCpuPercent: machineBusyPercent(machineBefore, machineAfter),
  };
}
