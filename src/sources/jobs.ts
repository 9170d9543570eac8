// The `sources.sync` job: fetch and parse the feed (or read the uploaded JSONL) and ingest each item as a
// recording event of the source's owner. Idempotent: an item's envelope id is `source:<id>:<item key>`, so
// a second sync (or a rerun) stores nothing twice. A failure is written on the source and fails the job;
// an upload's bad lines do not: the good ones are imported and the bad ones listed with line and reason.
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
  /** The upload's line (1-based, blank lines counted); feed items have none. */
  line?: number;
}

interface InvalidLine {
  line: number;
  reason: string;
}

/** How many bad lines the source's last_error names; the job's result lists them all. */
const linesNamedOnSource = 10;

export function createSourceJobs(deps: SourceJobDeps): Record<string, JobHandler> {
  const db = deps.database.db;

  const sync: JobHandler = async (job) => {
    const tenantId = job.tenantId;
    const { sourceId, jsonl } = job.payload as { sourceId: string; jsonl?: string };
    const source = await findSource(db, tenantId, sourceId);
    if (!source) return { skipped: 'source deleted' };
    try {
      const { items, invalid } = source.type === 'upload' ? fromJsonl(jsonl ?? '') : { items: (await readFeed(deps.sources, source)).map((item) => fromFeedItem(source, item)), invalid: [] };
      const lines = items.length + invalid.length;
      const subject = await deps.subjects.forAccountUser(tenantId, source.userId, null);
      const counts = await ingestItems(deps.events, tenantId, source.id, subject.id, items, invalid);
      invalid.sort((a, b) => a.line - b.line);
      const lastError = invalid.length ? invalidSummary(invalid, lines) : null;
      await updateSource(db, tenantId, source.id, { status: 'ok', lastError, lastSyncedAt: deps.clock.now(), addImported: counts.created }, deps.clock.now());
      return { ...counts, invalid };
    } catch (err) {
      const reason = err instanceof FeedError ? err.message : `import failed: ${(err as Error).message}`;
      await updateSource(db, tenantId, source.id, { status: 'error', lastError: reason }, deps.clock.now());
      throw err instanceof FeedError ? err : new Error(reason);
    }
  };

  return { [syncSourceJob]: sync };
}

/** Stores each item once; an upload line whose id was imported before with another body joins `invalid`. */
async function ingestItems(events: EventService, tenantId: string, sourceId: string, subjectId: string, items: Importable[], invalid: InvalidLine[]) {
  const counts = { created: 0, duplicates: 0, changed: 0 };
  for (const item of items) {
    try {
      const { created } = await events.ingest(tenantId, {
        envelopeId: `source:${sourceId}:${item.key}`,
        subjectId,
        inputType: item.inputType,
        occurredAt: item.occurredAt,
        data: item.data,
        source: 'recording',
      });
      counts[created ? 'created' : 'duplicates']++;
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      // An item edited upstream since it was imported: the event log keeps what was recorded first.
      if (item.line === undefined) counts.changed++;
      else invalid.push({ line: item.line, reason: `client_event_id ${item.key} was already imported with a different body` });
    }
  }
  return counts;
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

/** One event per line: {client_event_id, type, occurred_at?, payload?}. Each line stands on its own. */
function fromJsonl(jsonl: string): { items: Importable[]; invalid: InvalidLine[] } {
  const lines = jsonl.split('\n').map((text, i) => ({ line: i + 1, text: text.trim() })).filter((l) => l.text);
  if (lines.length === 0) throw new FeedError('the upload has no events');
  if (lines.length > feedMaxItems) throw new FeedError(`the upload has more than ${feedMaxItems} events`);
  const items: Importable[] = [];
  const invalid: InvalidLine[] = [];
  for (const { line, text } of lines) {
    const item = fromJsonlLine(text);
    if (typeof item === 'string') invalid.push({ line, reason: item });
    else items.push({ ...item, line });
  }
  return { items, invalid };
}

/** One line as an event, or why it is not one. */
function fromJsonlLine(text: string): Omit<Importable, 'line'> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const e = value as Record<string, unknown> | null;
  if (!e || typeof e !== 'object' || Array.isArray(e)) return 'not an object';
  if (typeof e.client_event_id !== 'string' || !e.client_event_id) return 'client_event_id is required';
  if (typeof e.type !== 'string' || !e.type) return 'type is required';
  const occurredAt = typeof e.occurred_at === 'string' ? Date.parse(e.occurred_at) : null;
  if (occurredAt !== null && !Number.isFinite(occurredAt)) return 'occurred_at is not an ISO-8601 time';
  const payload = e.payload ?? {};
  if (typeof payload !== 'object' || Array.isArray(payload)) return 'payload must be an object';
  return { key: e.client_event_id, inputType: e.type, occurredAt, data: payload as Record<string, unknown> };
}

/** What the source shows after an upload with bad lines: how many, and the first few with their reasons. */
function invalidSummary(invalid: InvalidLine[], total: number): string {
  const named = invalid.slice(0, linesNamedOnSource).map((l) => `line ${l.line}: ${l.reason}`);
  const more = invalid.length > linesNamedOnSource ? `; and ${invalid.length - linesNamedOnSource} more (see the job's result)` : '';
  return `${invalid.length} of ${total} lines not imported: ${named.join('; ')}${more}`;
}
