// Fixed-window rate limits counted in the database, so a limit holds across every API process.
import { sql } from 'kysely';
import type { Clock } from './clock.js';
import type { Database } from './db/index.js';
import { AppError } from './errors.js';

export interface Limit {
  /** What is being limited, e.g. `cred:<id>` or `ip:signup:<addr>`. */
  bucket: string;
  max: number;
  windowMs: number;
}

export class RateLimiter {
  private lastPrune = 0;

  constructor(private readonly deps: { database: Database; clock: Clock }) {}

  /** Counts one hit; throws rate_limited (with Retry-After and resets_at) once the window is full. */
  async hit(limit: Limit): Promise<{ remaining: number; resetsAt: number }> {
    const now = this.deps.clock.now();
    const windowStart = now - (now % limit.windowMs);
    const resetsAt = windowStart + limit.windowMs;
    const row = await this.deps.database.db
      .insertInto('rate_limit_windows')
      .values({ bucket: limit.bucket, window_start: windowStart, hits: 1 })
      .onConflict((oc) => oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql`rate_limit_windows.hits + 1` }))
      .returning('hits')
      .executeTakeFirstOrThrow();
    await this.pruneOccasionally(now);
    if (row.hits > limit.max) {
      throw new AppError('rate_limited', { retryAfterSeconds: (resetsAt - now) / 1000, resetsAt: new Date(resetsAt).toISOString() });
    }
    return { remaining: limit.max - row.hits, resetsAt };
  }

  /** Old windows are useless; drop them at most once a minute per process. */
  private async pruneOccasionally(now: number): Promise<void> {
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    await this.deps.database.db.deleteFrom('rate_limit_windows').where('window_start', '<', now - 86_400_000).execute();
  }
}
