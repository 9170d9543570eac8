// The `sources.sync` job: fetch and parse the feed (or read the uploaded JSONL) and ingest each item as a
// recording event of the source's owner. Idempotent: an item's envelope id is `source:<id>:<item key>`, so
// a second sync (or a rerun) stores nothing twice. A failure is written on the source and fails the job.
import type { EventService } from '../events/service.js';
import type { Clock } from '../platform/clock.js';
import type { Database } from '../platform/db/index.js';
import { AppError } from '../platform/errors.js';
import type { JobHandler } from '../platform/worker.js';
import type { SubjectService } from '../subjects/service.js';
import { FeedError, type FeedItem, feedMaxItems, fetchFeed, parseFeed } from './feed.js';
import { type SourceService, syncSourceJob } from './service.js';
import { type SourceRow, findSource, updateSource } from './store.js';

export interface SourceJobDeps {
  database: Database;
  clock: Clock;
  events: EventService;
  subjects: SubjectService;
  sources: SourceService;
}

interface Importable {
  key: string;
  inputType: string;
  occurredAt: number | null;
  data: Record<string, unknown>;
}

export function createSourceJobs(deps: SourceJobDeps): Record<string, JobHandler> {
  const db = deps.database.db;

  const sync: JobHandler = async (job) => {
    const tenantId = job.tenantId;
    const { sourceId, jsonl } = job.payload as { sourceId: string; jsonl?: string };
    const source = await findSource(db, tenantId, sourceId);
    if (!source) return { skipped: 'source deleted' };
    try {
      const items = source.type === 'upload' ? fromJsonl(jsonl ?? '') : (await readFeed(deps.sources, source)).map((item) => fromFeedItem(source, item));
      const subject = await deps.subjects.forAccountUser(tenantId, source.userId, null);
      let created = 0;
      let duplicates = 0;
      let changed = 0;
      for (const item of items) {
        try {
          const result = await deps.events.ingest(tenantId, {
            envelopeId: `source:${source.id}:${item.key}`,
            subjectId: subject.id,
            inputType: item.inputType,
            occurredAt: item.occurredAt,
            data: item.data,
            source: 'recording',
          });
          if (result.created) created++;
          else duplicates++;
        } catch (err) {
          // An item edited upstream since it was imported: the event log keeps what was recorded first.
          if (err instanceof AppError && err.code === 'conflict') changed++;
          else throw err;
        }
      }
      await updateSource(db, tenantId, source.id, { status: 'ok', lastError: null, lastSyncedAt: deps.clock.now(), addImported: created }, deps.clock.now());
      return { created, duplicates, changed };
    } catch (err) {
      const reason = err instanceof FeedError ? err.message : `import failed: ${(err as Error).message}`;
      await updateSource(db, tenantId, source.id, { status: 'error', lastError: reason }, deps.clock.now());
      throw err instanceof FeedError ? err : new Error(reason);
    }
  };

  return { [syncSourceJob]: sync };
}

async function readFeed(sources: SourceService, source: SourceRow): Promise<FeedItem[]> {
  return parseFeed(await fetchFeed(String(source.config.url), sources.openSecrets(source)));
}

function fromFeedItem(source: SourceRow, item: FeedItem): Importable {
  return {
    key: item.key,
    inputType: 'document',
    occurredAt: item.publishedAt,
    data: { title: item.title, text: item.text, url: item.url, source_id: source.id },
  };
}

/** One event per line: {client_event_id, type, occurred_at?, payload?}. Any bad line fails the whole upload. */
function fromJsonl(jsonl: string): Importable[] {
  const lines = jsonl.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) throw new FeedError('the upload has no events');
  if (lines.length > feedMaxItems) throw new FeedError(`the upload has more than ${feedMaxItems} events`);
  return lines.map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new FeedError(`line ${i + 1}: not valid JSON`);
    }
    const e = value as Record<string, unknown> | null;
    if (!e || typeof e !== 'object' || Array.isArray(e)) throw new FeedError(`line ${i + 1}: not an object`);
    if (typeof e.client_event_id !== 'string' || !e.client_event_id) throw new FeedError(`line ${i + 1}: client_event_id is required`);
    if (typeof e.type !== 'string' || !e.type) throw new FeedError(`line ${i + 1}: type is required`);
    const occurredAt = typeof e.occurred_at === 'string' ? Date.parse(e.occurred_at) : null;
    if (occurredAt !== null && !Number.isFinite(occurredAt)) throw new FeedError(`line ${i + 1}: occurred_at is not an ISO-8601 time`);
    const payload = e.payload ?? {};
    if (typeof payload !== 'object' || Array.isArray(payload)) throw new FeedError(`line ${i + 1}: payload must be an object`);
    return { key: e.client_event_id, inputType: e.type, occurredAt, data: payload as Record<string, unknown> };
  });
}
