// Source connectors of an account user: a feed URL (JSON Feed, JSON items, RSS, Atom) or uploads of
// JSONL events. Secrets (sent as HTTP headers when fetching) are sealed at rest and never shown again.
// Syncing queues a `sources.sync` job; the import itself is in jobs.ts.
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.js';
import { requireUser } from '../auth/principal.js';
import type { Clock } from '../platform/clock.js';
import type { DB, SourceType } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { Job, Queue } from '../platform/queue.js';
import type { SecretBox } from './secrets.js';
import * as store from './store.js';
import type { SourceRow } from './store.js';

export const syncSourceJob = 'sources.sync';

/** A source as callers see it: secret names, never values. */
export type Source = Omit<SourceRow, 'sealedSecrets'> & { secretNames: string[] };

export interface NewSource {
  name: string;
  type: SourceType;
  config?: Record<string, unknown>;
  secrets?: Record<string, string>;
}

export interface SourceUpdate {
  name?: string;
  config?: Record<string, unknown>;
  /** Replaces every secret; null removes them. */
  secrets?: Record<string, string> | null;
}

const notFound = (id: string) => new AppError('not_found', { resource: 'Source', id });

function invalid(path: string, message: string): AppError {
  return new AppError('validation_failed', { summary: `${path}: ${message}`, issues: [{ location: 'body', path, message }] });
}

export class SourceService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids; queue: Queue; secrets: SecretBox }) {}

  async list(principal: Principal): Promise<Source[]> {
    const rows = await store.listSources(this.deps.db, principal.tenantId, requireUser(principal));
    return rows.map((r) => this.view(r));
  }

  async get(principal: Principal, id: string): Promise<Source> {
    return this.view(await this.own(principal, id));
  }

  async create(principal: Principal, input: NewSource): Promise<Source> {
    const userId = requireUser(principal);
    const config = input.config ?? {};
    checkConfig(input.type, config);
    const now = this.deps.clock.now();
    const row: Omit<SourceRow, 'tenantId'> = {
      id: this.deps.ids.next(),
      userId,
      name: input.name,
      type: input.type,
      config,
      sealedSecrets: this.seal(input.secrets),
      status: 'idle',
      lastError: null,
      lastSyncedAt: null,
      itemsImported: 0,
      createdAt: now,
      updatedAt: now,
    };
    await store.insertSource(this.deps.db, principal.tenantId, row);
    return this.view({ ...row, tenantId: principal.tenantId });
  }

  async update(principal: Principal, id: string, changes: SourceUpdate): Promise<Source> {
    const current = await this.own(principal, id);
    if (changes.config !== undefined) checkConfig(current.type, changes.config);
    await store.updateSource(
      this.deps.db,
      principal.tenantId,
      id,
      {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.config !== undefined ? { config: changes.config } : {}),
        ...(changes.secrets !== undefined ? { sealedSecrets: this.seal(changes.secrets ?? undefined) } : {}),
      },
      this.deps.clock.now(),
    );
    return this.get(principal, id);
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.own(principal, id);
    await store.deleteSource(this.deps.db, principal.tenantId, id);
  }

  /** Queues an import; an upload source takes its JSONL here. */
  async sync(principal: Principal, id: string, input: { jsonl?: string }): Promise<Job> {
    const source = await this.own(principal, id);
    if (source.type === 'upload' && !input.jsonl?.trim()) throw invalid('jsonl', 'an upload source needs the events as JSONL');
    if (source.type === 'feed' && input.jsonl !== undefined) throw invalid('jsonl', 'a feed source fetches its items; send no body');
    const { db, queue, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      await store.updateSource(trx, principal.tenantId, id, { status: 'syncing' }, clock.now());
      // One attempt: a failed sync says why on the source, and the user syncs again when it is fixed.
      // `userId` lets the owner read the job (and an upload's bad lines in its result) at /api/jobs/.
      const payload = { sourceId: id, userId: source.userId, ...(input.jsonl !== undefined ? { jsonl: input.jsonl } : {}) };
      const { job } = await queue.enqueue(
        { tenantId: principal.tenantId, kind: syncSourceJob, payload, maxAttempts: 1 },
        trx,
      );
      return job;
    });
  }

  /** The secrets of a source, for the import job only. */
  openSecrets(source: SourceRow): Record<string, string> {
    return source.sealedSecrets ? this.deps.secrets.open(source.sealedSecrets) : {};
  }

  private async own(principal: Principal, id: string): Promise<SourceRow> {
    const userId = requireUser(principal);
    const row = await store.findSource(this.deps.db, principal.tenantId, id);
    if (!row || row.userId !== userId) throw notFound(id);
    return row;
  }

  private seal(secrets: Record<string, string> | undefined): string | null {
    return secrets && Object.keys(secrets).length > 0 ? this.deps.secrets.seal(secrets) : null;
  }

  private view(row: SourceRow): Source {
    const { sealedSecrets, ...rest } = row;
    return { ...rest, secretNames: sealedSecrets ? Object.keys(this.openSecrets(row)).sort() : [] };
  }
}

function checkConfig(type: SourceType, config: Record<string, unknown>): void {
  if (type !== 'feed') return;
  const url = config.url;
  if (typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) throw invalid('config.url', 'a feed source needs an http:// or https:// URL');
}
