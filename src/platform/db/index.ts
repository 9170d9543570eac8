// Opens the database for the configured engine: one Kysely instance, dialect quirks kept here.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDriver,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import * as sqliteVec from 'sqlite-vec';
import type { Config } from '../config.js';
import { redactUrl } from '../config.js';
import { AppError } from '../errors.js';
import type { DB } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** Where the data lives, safe to log. */
  location: string;
  /**
   * How nearest vectors are found: 'sqlite-vec' scores a subject's vectors in SQL with the sqlite-vec
   * extension; 'portable' reads them and scores them in JS (PostgreSQL, or SQLite where sqlite-vec has no
   * build for the platform). See retrieval/vectors.ts.
   */
  vectorScan: 'sqlite-vec' | 'portable';
  close(): Promise<void>;
}

/**
 * SQLite transactions start IMMEDIATE: every transaction Engram opens writes, and a deferred one
 * that upgrades to a writer while another process commits fails with SQLITE_BUSY instead of waiting.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  // Kysely's own lock wakes every waiter and lets the fastest win, so a few callers can starve the rest
  // (measured: 4 concurrent enqueuers split 4999/4999/1/1). Waiters here get the connection in order.
  private readonly waiting: (() => void)[] = [];
  private held = false;

  override async acquireConnection(): Promise<DatabaseConnection> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.held = true;
    return super.acquireConnection();
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class EngramSqliteDialect implements Dialect {
  constructor(private readonly config: SqliteDialectConfig) {}
  createDriver() {
    return new ImmediateSqliteDriver(this.config);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}

function openSqlite(file: string): Database {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (err) {
    throw new AppError('database_unavailable', { reason: `cannot create data directory ${dirname(file)}: ${(err as Error).message}` });
  }
  let raw: BetterSqlite3.Database;
  try {
    raw = new BetterSqlite3(file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new AppError('database_unavailable', { reason: `cannot open SQLite file ${file}: ${(err as Error).message}` });
  }
  // sqlite-vec ships prebuilt for Linux, macOS and Windows (x64, arm64) as optional npm packages; elsewhere
  // vector search takes the portable path instead.
  let vectorScan: Database['vectorScan'] = 'portable';
  try {
    sqliteVec.load(raw);
    vectorScan = 'sqlite-vec';
  } catch {
    // No build of the extension for this platform.
  }
  const db = new Kysely<DB>({ dialect: new EngramSqliteDialect({ database: raw }) });
  return { db, engine: 'sqlite', location: file, vectorScan, close: () => db.destroy() };
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 5000,
    // int8 carries epoch-ms instants and counts; both fit a JS number exactly.
    types: { getTypeParser: (oid, format) => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig,
  });
  // A client losing its server emits 'error'. Idle ones reach the pool's listener; one checked out at that
  // moment (Kysely adds no listener) would crash the process. The failed query itself still rejects.
  pool.on('error', () => {});
  // JIT compiles a plan whose estimated cost is high, which a search over a large subject's rows can reach:
  // 10–15 ms of compiling per query for short queries that run in less. Engram's queries are all short.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    client.query('set jit = off').catch(() => {});
  });
  const location = redactUrl(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new AppError('database_unavailable', { reason: `cannot reach PostgreSQL at ${location}: ${(err as Error).message}` });
  }
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  // pgvector is not used: it is not packaged for this platform's Debian and cannot be assumed; see retrieval/vectors.ts.
  return { db, engine: 'postgres', location, vectorScan: 'portable', close: () => db.destroy() };
}

export async function openDatabase(config: Config['database'], options: { poolSize?: number } = {}): Promise<Database> {
  return config.engine === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url, options.poolSize ?? 10);
}

const connectionErrorCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006',
]);

/** True when an error means "the database is not reachable right now" rather than a bad query. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && connectionErrorCodes.has(code)) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|database is locked/i.test(err.message);
}

/** True when a write broke a unique key (both engines). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
