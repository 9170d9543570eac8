#!/usr/bin/env node
// The `engram` command: serve | worker | migrate | version.
import { createApp, createCore, createWorker } from './app.js';
import { type Config, ConfigError, loadConfig } from './platform/config.js';
import { type Database, openDatabase } from './platform/db/index.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { isAppError } from './platform/errors.js';
import { type Logger, createLogger } from './platform/log.js';
import { version } from './platform/version.js';
import type { Worker } from './platform/worker.js';

const usage = `usage: engram <command>

commands:
  serve     HTTP API and an in-process worker (default for npm start)
  worker    a worker only, against the same database
  migrate   apply pending database migrations and exit
  version   print the version

configuration comes from environment variables; see README.md.`;

async function openMigrated(config: Config, logger: Logger): Promise<Database> {
  const database = await openDatabase(config.database);
  const applied = await migrateToLatest(database);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  return database;
}

/** Runs `stop` once on SIGTERM or SIGINT, then exits; a second signal exits at once. */
function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}

async function serve(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const database = await openMigrated(config, logger);
  const app = await createApp({ config, database, logger });
  const worker = createWorker(app.core);
  worker.start();
  await app.http.listen({ host: config.host, port: config.port });
  logger.info(
    { url: `http://${config.host}:${config.port}`, engine: database.engine, database: database.location, version },
    'engram listening',
  );
  onShutdown(logger, async () => {
    await app.http.close();
    await stopWorker(worker, config, logger);
    await database.close();
  });
}

async function workerOnly(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const database = await openMigrated(config, logger);
  const core = createCore({ config, database, logger });
  const worker = createWorker(core);
  worker.start();
  logger.info({ workerId: worker.id, engine: database.engine, kinds: Object.keys(core.jobHandlers) }, 'worker started');
  onShutdown(logger, async () => {
    await stopWorker(worker, config, logger);
    await database.close();
  });
}

async function stopWorker(worker: Worker, config: Config, logger: Logger): Promise<void> {
  const inFlight = worker.inFlight;
  if (inFlight) logger.info({ inFlight, graceMs: config.shutdownTimeoutMs }, 'waiting for running jobs');
  await worker.stop(config.shutdownTimeoutMs);
}

async function migrate(config: Config): Promise<void> {
  const database = await openDatabase(config.database);
  const applied = await migrateToLatest(database);
  await database.close();
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command === 'version' || command === '--version') {
    console.log(version);
    return;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(usage);
    return;
  }
  const commands: Record<string, (c: Config) => Promise<void>> = { serve, worker: workerOnly, migrate };
  const run = commands[command];
  if (!run) {
    console.error(`engram: unknown command "${command}"\n\n${usage}`);
    process.exit(2);
  }
  await run(loadConfig());
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError) {
    console.error(`engram: ${err.message}`);
    process.exit(2);
  }
  if (isAppError(err)) {
    console.error(`engram: ${err.message} (${err.code}). ${err.hint}`);
    process.exit(1);
  }
  console.error('engram: failed to start:', err);
  process.exit(1);
});
