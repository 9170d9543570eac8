// A real `engram serve` child process for the HTTP-facing suites: its own free 127.0.0.1 port, the bootstrap
// self-model key, a log file in the suite's scratch directory, and up when /healthz answers.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, hasExited, sleep, spawnNode, stopChild } from './processes.js';
import { type SuiteContext, projectRoot } from './report.js';

const mainScript = join(projectRoot, 'dist', 'src', 'main.js');
const startTimeoutMs = 20_000;

export interface Server {
  child: ChildProcess;
  baseUrl: string;
  /** The bootstrap self-model key (ENGRAM_BOOTSTRAP_KEY), sent as X-API-Key. */
  key: string;
  logFile: string;
}

export interface ServerOptions {
  /** Environment beyond the database, host, port and key (LOG_LEVEL, ENGRAM_WORKER_CONCURRENCY, …). */
  env: Record<string, string>;
  /** Where the log file goes; `name` tells two servers of one suite apart. */
  scratch: string;
  name?: string;
  /** Flags for node itself, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  nodeArgs?: string[];
}

export async function startServer(ctx: SuiteContext, opts: ServerOptions): Promise<Server> {
  const port = await freePort();
  const key = randomBytes(30).toString('base64url');
  const logFile = join(opts.scratch, `${opts.name ?? 'server'}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawnNode(
    mainScript,
    ['serve'],
    { ...opts.env, ENGRAM_HOST: '127.0.0.1', ENGRAM_PORT: String(port), ENGRAM_BOOTSTRAP_KEY: key },
    { stdio: ['ignore', fd, fd] },
    opts.nodeArgs,
  );
  closeSync(fd);
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`engram serve exited during start-up (code ${child.exitCode}):\n${tail(logFile)}`);
    const status = await fetch(`${baseUrl}/healthz`).then((r) => r.status, () => 0);
    if (status === 200) {
      ctx.log(`engram serve (pid ${child.pid}) up on ${baseUrl} in ${Math.round(performance.now() - started)} ms`);
      return { child, baseUrl, key, logFile };
    }
    await sleep(100);
  }
  await stopChild(child, 'SIGKILL');
  throw new Error(`engram serve not up after ${startTimeoutMs} ms:\n${tail(logFile)}`);
}

/** The last lines of a log file, for error messages. */
export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}
