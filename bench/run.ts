// The bench entry: `npm run bench [-- <suite>…] [--engine sqlite|postgres] [--flag value…]`.
// Runs each chosen suite per engine, prints lines as it goes, writes bench/results/<suite>-<engine>.json
// and ends with one `BENCH_JSON {…}` line on stdout.
import type { Engine } from '../src/platform/db/index.js';
import { isPostgresReachable, testPostgresUrl } from '../src/testing/db.js';
import { httpSuite } from './http.js';
import { pipelineSuite } from './pipeline.js';
import { cleanupAll } from './processes.js';
import { queueSuite } from './queue.js';
import { retrievalSuite } from './retrieval.js';
import { type Suite, type SuiteResult, createLog, environment, printSummary, writeResult } from './report.js';

/** Every suite, in the order `npm run bench` runs them. A new suite is one more file and one more entry. */
const suites: Suite[] = [queueSuite, httpSuite, pipelineSuite, retrievalSuite];
const engines: Engine[] = ['sqlite', 'postgres'];

interface Args {
  suites: Suite[];
  engines: Engine[];
  options: Map<string, string>;
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  const names: string[] = [];
  const options = new Map<string, string>();
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      options.set(name, value);
    } else {
      names.push(arg);
    }
  }
  const unknown = names.filter((n) => !suites.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown suite ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
  const engine = options.get('engine');
  options.delete('engine');
  if (engine !== undefined && !engines.includes(engine as Engine)) throw new Error(`--engine must be sqlite or postgres, got "${engine}"`);
  return {
    suites: names.length ? suites.filter((s) => names.includes(s.name)) : suites,
    engines: engine ? [engine as Engine] : engines,
    options,
    help,
  };
}

function usage(): string {
  const lines = ['usage: npm run bench -- [suite…] [--engine sqlite|postgres] [--flag value…]', '', 'suites:'];
  for (const s of suites) {
    lines.push(`  ${s.name.padEnd(8)} ${s.description}`);
    for (const [flag, text] of Object.entries(s.flags)) lines.push(`      --${flag.padEnd(20)} ${text}`);
  }
  return lines.join('\n');
}

async function runSuite(suite: Suite, engine: Engine, options: ReadonlyMap<string, string>): Promise<SuiteResult> {
  const log = createLog(suite.name, engine);
  const startedAt = new Date();
  const base = { suite: suite.name, engine, startedAt: startedAt.toISOString(), environment: environment() };
  if (engine === 'postgres' && !(await isPostgresReachable())) {
    const error = `PostgreSQL unreachable at ${testPostgresUrl}: SKIPPED`;
    log(`!!! ${error}`);
    return { ...base, durationMs: 0, cases: [], notes: [], error };
  }
  log(`${suite.description}`);
  const changed = base.environment.uncommitted;
  if (changed.length) log(`!!! measuring uncommitted changes on ${base.environment.gitCommit}: ${changed.join(', ')} (recorded in the result)`);
  try {
    const { cases, notes, tag } = await suite.run({ engine, options, log });
    const result: SuiteResult = { ...base, durationMs: Date.now() - startedAt.getTime(), cases, notes, ...(tag ? { tag } : {}) };
    log(`wrote ${writeResult(result)} (${Math.round(result.durationMs / 1000)} s)`);
    return result;
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log(`FAILED: ${error}`);
    return { ...base, durationMs: Date.now() - startedAt.getTime(), cases: [], notes: [], error };
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(usage());
    return 0;
  }
  const startedAt = new Date().toISOString();
  const results: SuiteResult[] = [];
  for (const suite of args.suites) {
    for (const engine of args.engines) results.push(await runSuite(suite, engine, args.options));
  }
  printSummary({ startedAt, environment: environment(), results });
  return results.some((r) => r.error) ? 1 : 0;
}

function onSignal(signal: NodeJS.Signals): void {
  console.error(`bench: ${signal}, stopping children and dropping test databases`);
  cleanupAll().finally(() => process.exit(130));
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

main().then(
  async (code) => {
    await cleanupAll();
    process.exit(code);
  },
  async (err: unknown) => {
    console.error(`bench: ${err instanceof Error ? err.message : String(err)}\n\n${usage()}`);
    await cleanupAll();
    process.exit(2);
  },
);
