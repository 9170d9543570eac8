// Builds the real app over a test database, with logs silenced, for `app.inject` tests.
import { type App, createApp } from '../app.js';
import type { Clock } from '../platform/clock.js';
import { type Config, loadConfig } from '../platform/config.js';
import { createLogger } from '../platform/log.js';
import type { TestDatabase } from './db.js';

export function testConfig(db: TestDatabase, env: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', ...db.env, ...env });
}

export async function createTestApp(
  db: TestDatabase,
  options: { env?: Record<string, string>; clock?: Clock } = {},
): Promise<App> {
  const config = testConfig(db, options.env);
  return createApp({
    config,
    database: db.database,
    logger: createLogger(config.logLevel),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
