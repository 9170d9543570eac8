#!/usr/bin/env node
// The `engram` command: serve | worker | migrate | keys create | keys scope-down | staff grant | version.
import { parseArgs } from 'node:util';
import { type Core, createApp, createCore, createWorker } from './app.js';
import { type Config, ConfigError, loadConfig } from './platform/config.js';
import { type Database, openDatabase } from './platform/db/index.js';
import { missingSubjectTextIndex } from './platform/db/health.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { isAppError } from './platform/errors.js';
import { type Logger, createLogger } from './platform/log.js';
import { queueEmbeddingBackfill } from './retrieval/embedding-jobs.js';
import { version } from './platform/version.js';
import type { Worker } from './platform/worker.js';

const usage = `usage: engram <command>

commands:
  serve     HTTP API and an in-process worker (default for npm start)
  worker    a worker only, against the same database
  migrate   apply pending database migrations and exit
  keys create --kind selfmodel|clone|platform|developer|ingestion
              [--tenant ID] [--name NAME] [--scopes a,b] [--expires-in-days N] [--rate-limit N]
            print a new credential once (creates the default tenant if there is none)
  keys scope-down --id ID --scopes a,b [--tenant ID]
            narrow a key's scopes to a subset of the ones it has (never widen)
  staff grant --user USERNAME
            make an existing user staff (may open /admin/ and post news)
  version   print the version

configuration comes from environment variables; see README.md.`;

async function openMigrated(config: Config, logger: Logger): Promise<Database> {
  const database = await openDatabase(config.database);
  const applied = await migrateToLatest(database);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  if (await missingSubjectTextIndex(database)) {
    logger.warn('PostgreSQL lacks the btree_gin extension, so search uses a slower full-text index; docs/operations.md says how to add it');
  }
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
  if (config.bootstrapKey) {
    const result = await app.core.auth.bootstrap(config.bootstrapKey);
    if (result.created) logger.info({ tenantId: result.tenantId }, 'created default tenant with ENGRAM_BOOTSTRAP_KEY');
  }
  const worker = config.worker.inServe ? createWorker(app.core) : undefined;
  worker?.start();
  await queueEmbedding(app.core, logger);
  const url = await app.http.listen({ host: config.host, port: config.port });
  logger.info(
    {
      url,
      engine: database.engine,
      database: database.location,
      version,
      worker: worker ? 'in process' : 'separate',
      vectors: config.embeddings ? `${config.embeddings.model} (${database.vectorScan})` : 'off',
    },
    'engram listening',
  );
  onShutdown(logger, async () => {
    await app.http.close();
    if (worker) await stopWorker(worker, config, logger);
    await database.close();
  });
}

async function workerOnly(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const database = await openMigrated(config, logger);
  const core = createCore({ config, database, logger });
  const worker = createWorker(core);
  worker.start();
  await queueEmbedding(core, logger);
  logger.info({ workerId: worker.id, engine: database.engine, kinds: Object.keys(core.jobHandlers) }, 'worker started');
  onShutdown(logger, async () => {
    await stopWorker(worker, config, logger);
    await database.close();
  });
}

/** With embeddings on: documents without a vector of the configured model (all of them, after a model change) are embedded in the background. */
async function queueEmbedding(core: Core, logger: Logger): Promise<void> {
  if (!core.embedder) return;
  const tenants = await queueEmbeddingBackfill(core, core.embedder.model);
  if (tenants.length) logger.info({ model: core.embedder.model, tenants: tenants.length }, 'queued embedding for documents without a vector of this model');
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

const credentialKinds = ['selfmodel', 'clone', 'platform', 'developer', 'ingestion'] as const;

const keysUsage = `usage: engram keys create --kind ${credentialKinds.join('|')} [--tenant ID] [--name NAME] [--scopes a,b] [--expires-in-days N] [--rate-limit N]
       engram keys scope-down --id ID --scopes a,b [--tenant ID]`;

const scopeList = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

async function keys(config: Config, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      kind: { type: 'string' },
      tenant: { type: 'string' },
      name: { type: 'string' },
      scopes: { type: 'string' },
      'expires-in-days': { type: 'string' },
      'rate-limit': { type: 'string' },
      id: { type: 'string' },
    },
  });
  const kind = credentialKinds.find((k) => k === values.kind);
  if (positionals[0] === 'create' && kind) return createKey(config, kind, values);
  if (positionals[0] === 'scope-down' && values.id && values.scopes !== undefined) {
    return scopeDownKey(config, values.id, scopeList(values.scopes), values.tenant);
  }
  console.error(keysUsage);
  process.exit(2);
}

/** Opens the migrated database, runs `work` against a core, and closes the database again. */
async function withCore(config: Config, work: (core: Core) => Promise<void>): Promise<void> {
  const logger = createLogger('warn');
  const database = await openMigrated(config, logger);
  try {
    await work(createCore({ config, database, logger }));
  } finally {
    await database.close();
  }
}

async function createKey(
  config: Config,
  kind: (typeof credentialKinds)[number],
  values: { tenant?: string; name?: string; scopes?: string; 'expires-in-days'?: string; 'rate-limit'?: string },
): Promise<void> {
  const days = values['expires-in-days'] === undefined ? undefined : Number(values['expires-in-days']);
  if (days !== undefined && !(days > 0)) {
    console.error('engram: --expires-in-days must be a positive number');
    process.exit(2);
  }
  const perMinute = values['rate-limit'] === undefined ? undefined : Number(values['rate-limit']);
  if (perMinute !== undefined && !(Number.isInteger(perMinute) && perMinute > 0)) {
    console.error('engram: --rate-limit must be a positive whole number of requests per minute');
    process.exit(2);
  }
  await withCore(config, async (core) => {
    const tenant = values.tenant
      ? await core.tenants.get(values.tenant)
      : ((await core.tenants.first()) ?? (await core.tenants.create('default')));
    if (!tenant) {
      console.error(`engram: no tenant ${values.tenant}`);
      process.exit(1);
    }
    const { credential, secret } = await core.auth.createCredential(tenant.id, {
      kind,
      ...(values.name ? { name: values.name } : {}),
      scopes: values.scopes ? scopeList(values.scopes) : [],
      expiresAt: days === undefined ? null : core.clock.now() + days * 86_400_000,
      rateLimitPerMinute: perMinute ?? null,
    });
    console.log(secret);
    console.error(`created ${kind} key ${credential.id} (${credential.prefix}…) for tenant ${tenant.id}; it is shown only once`);
  });
}

/** Prints the key's scopes after narrowing; a scope it does not hold is refused (conflict). */
async function scopeDownKey(config: Config, id: string, scopes: string[], tenantId: string | undefined): Promise<void> {
  await withCore(config, async (core) => {
    const tenant = tenantId ? await core.tenants.get(tenantId) : await core.tenants.first();
    if (!tenant) {
      console.error(`engram: no tenant ${tenantId ?? '(none exists yet)'}`);
      process.exit(1);
    }
    const narrowed = await core.auth.narrowScopes(tenant.id, id, scopes);
    console.log(narrowed.scopes.join(','));
    console.error(`key ${narrowed.id} (${narrowed.prefix}…) of tenant ${tenant.id} now has scopes: ${narrowed.scopes.join(', ') || '(none)'}`);
  });
}

const staffUsage = 'usage: engram staff grant --user USERNAME';

/** The operator's way to the first staff user: staff can open /admin/ and grant nothing else by HTTP. */
async function staff(config: Config, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { user: { type: 'string' } } });
  if (positionals[0] !== 'grant' || !values.user) {
    console.error(staffUsage);
    process.exit(2);
  }
  const username = values.user;
  await withCore(config, async (core) => {
    const granted = await core.staff.grantByUsername(username);
    console.error(`user ${username} (${granted.userId}) of tenant ${granted.tenantId} is staff`);
  });
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
  const commands: Record<string, (c: Config, rest: string[]) => Promise<void>> = { serve, worker: workerOnly, migrate, keys, staff };
  const run = commands[command];
  if (!run) {
    console.error(`engram: unknown command "${command}"\n\n${usage}`);
    process.exit(2);
  }
  await run(loadConfig(), argv.slice(1));
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
