// What every bench suite shares: the result shape, percentiles, the printed lines and the result files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../src/platform/db/index.js';
import { version } from '../src/platform/version.js';

/** The repository root, from either bench/*.ts or its build in dist/bench/*.js. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const resultsDir = join(projectRoot, 'bench', 'results');

export type Metric = number | string | boolean | null | Record<string, number>;

/** One measured configuration of a suite, e.g. "2 workers" or "GET /healthz". */
export interface BenchCase {
  name: string;
  params: Record<string, Metric>;
  metrics: Record<string, Metric>;
  notes: string[];
}

export interface SuiteContext {
  engine: Engine;
  /** `--name value` flags from the command line, for the suite to read what it knows. */
  options: ReadonlyMap<string, string>;
  log(line: string): void;
}

export interface Suite {
  name: string;
  description: string;
  /** Flags this suite reads, for `--help`. */
  flags: Record<string, string>;
  /** `tag` names a partial run's results file, so that it does not overwrite a whole run's. */
  run(ctx: SuiteContext): Promise<{ cases: BenchCase[]; notes: string[]; tag?: string }>;
}

export interface SuiteResult {
  suite: string;
  engine: Engine;
  startedAt: string;
  durationMs: number;
  environment: Environment;
  cases: BenchCase[];
  notes: string[];
  /** Set when the suite could not run (e.g. PostgreSQL unreachable) or threw. */
  error?: string;
  /** What part of the suite ran, when not all of it (see Suite.run). */
  tag?: string;
}

export interface Environment {
  engramVersion: string;
  gitCommit: string | null;
  /** Tracked files that differ from that commit when the run began (results excluded): the code measured is not the commit's alone. */
  uncommitted: string[];
  node: string;
  platform: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  /** Other work on the machine skews every figure; this shows how busy it was when the suite began. */
  loadAverage1m: number;
}

export function environment(): Environment {
  const git = (args: string[]) => execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  let gitCommit: string | null = null;
  let uncommitted: string[] = [];
  try {
    gitCommit = git(['rev-parse', '--short', 'HEAD']).trim();
    uncommitted = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results'])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
  } catch {
    gitCommit = null;
  }
  const cpuList = cpus();
  return {
    engramVersion: version,
    gitCommit,
    uncommitted,
    node: process.version,
    platform: `${platform()} ${process.arch}`,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    loadAverage1m: round(loadavg()[0] ?? 0, 2),
  };
}

/** Nearest-rank percentile of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export interface LatencySummary {
  n: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Latency figures in ms, rounded to µs; sorts a copy. */
export function summarizeLatencies(samplesMs: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    n: sorted.length,
    mean: round(sorted.length ? sum / sorted.length : Number.NaN, 3),
    p50: round(percentile(sorted, 50), 3),
    p95: round(percentile(sorted, 95), 3),
    p99: round(percentile(sorted, 99), 3),
    max: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN, 3),
  };
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Per-second rate, rounded; 0 when no time passed. */
export function rate(count: number, ms: number): number {
  return ms > 0 ? Math.round((count / ms) * 1000) : 0;
}

export function formatNumber(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : String(n);
}

export function numberOption(options: ReadonlyMap<string, string>, name: string, fallback: number): number {
  const raw = options.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return n;
}

export function createLog(suite: string, engine: Engine): (line: string) => void {
  return (line) => console.log(`[${suite}/${engine}] ${line}`);
}

/** Writes bench/results/<suite>-<engine>.json and returns its path. */
export function writeResult(result: SuiteResult): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${result.suite}-${result.engine}${result.tag ? `-${result.tag}` : ''}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/** The machine-readable summary: one line, after everything human-readable. */
export function printSummary(summary: { startedAt: string; environment: Environment; results: SuiteResult[] }): void {
  console.log(`BENCH_JSON ${JSON.stringify(summary)}`);
}
