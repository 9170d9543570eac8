// Retrieval at scale: 1,000,000 memories (1,000 subjects × 1,000) plus one subject with 100,000, bulk-loaded
// through the search store (not HTTP), then search and context latency for one subject at a time, measured
// in-process through the same services the routes call, and the process's resident memory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { fillPassages } from '../src/retrieval/indexing.js';
import { type NewDoc, indexDocs } from '../src/retrieval/store.js';
import { createTestApp } from '../src/testing/app.js';
import { createTestDatabase } from '../src/testing/db.js';
import { createRandom } from './conversation.js';
import { onCleanup } from './processes.js';
import { type BenchCase, type SuiteContext, formatNumber, round, summarizeLatencies } from './report.js';
import { dataDir } from './retrieval.js';

interface ScaleParams {
  subjects: number;
  perSubject: number;
  bigSubject: number;
  queries: number;
}

/** Real conversational sentences and questions to draw from: LoCoMo's turns and questions, sampled with replacement. */
function corpus(): { turns: string[]; questions: string[]; speakers: string[] } {
  const samples = JSON.parse(readFileSync(join(dataDir, 'locomo', 'locomo10.json'), 'utf8')) as {
    conversation: Record<string, unknown>;
    qa: { question: string }[];
  }[];
  const turns: string[] = [];
  const speakers = new Set<string>();
  for (const s of samples) {
    for (const [key, value] of Object.entries(s.conversation)) {
      if (!/^session_\d+$/.test(key) || !Array.isArray(value)) continue;
      for (const t of value as { text: string; speaker: string }[]) {
        turns.push(t.text);
        speakers.add(t.speaker);
      }
    }
  }
  return { turns, questions: samples.flatMap((s) => s.qa.map((q) => q.question)), speakers: [...speakers] };
}

export async function runScale(ctx: SuiteContext, p: ScaleParams): Promise<BenchCase[]> {
  const db = await createTestDatabase(ctx.engine);
  const dropDb = onCleanup(() => db.cleanup());
  try {
    const app = await createTestApp(db);
    const { turns, questions, speakers } = corpus();
    const random = createRandom(7);
    const tenantId = 'scale-tenant';
    const start = Date.UTC(2024, 0, 1);
    const loadStarted = performance.now();
    // Sessions of 20 turns; a batch of 1,000 holds whole sessions, so each turn's passage is computed
    // from its own session as the live path would.
    const sessionLength = 20;
    const load = async (subjectId: string, count: number) => {
      for (let offset = 0; offset < count; offset += 1000) {
        const docs: NewDoc[] = [];
        for (let i = offset; i < Math.min(count, offset + 1000); i++) {
          docs.push({
            kind: 'event',
            refId: `${subjectId}-${i}`,
            subjectId,
            envelopeId: `${subjectId}-${i}`,
            sessionId: `${subjectId}-s${Math.floor(i / sessionLength)}`,
            speaker: random.pick(speakers),
            occurredAt: start + i * 3_600_000,
            body: random.pick(turns),
          });
        }
        fillPassages(docs);
        await db.database.db.transaction().execute((trx) => indexDocs(trx, tenantId, docs));
      }
    };
    for (let s = 0; s < p.subjects; s++) {
      await load(`s${s}`, p.perSubject);
      if ((s + 1) % 100 === 0) ctx.log(`scale: ${formatNumber((s + 1) * p.perSubject)} memories loaded`);
    }
    await load('big', p.bigSubject);
    const loadMs = performance.now() - loadStarted;
    const total = p.subjects * p.perSubject + p.bigSubject;
    // A running PostgreSQL has vacuumed a table that grew by a million rows (autovacuum's insert threshold)
    // by the time it is searched; until then its index-only scans read the heap for every row's visibility.
    if (ctx.engine === 'postgres') await sql`vacuum (analyze) search_docs`.execute(db.database.db);
    ctx.log(`scale: ${formatNumber(total)} memories in ${round(loadMs / 1000, 1)} s`);

    const measure = async (subject: () => string, run: (subjectId: string, query: string) => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < p.queries + 20; i++) {
        const query = random.pick(questions);
        const id = subject();
        const started = performance.now();
        await run(id, query);
        if (i >= 20) samples.push(performance.now() - started);
      }
      const s = summarizeLatencies(samples);
      return { p50: s.p50, p95: s.p95 };
    };
    const someSubject = () => `s${random.int(0, p.subjects - 1)}`;
    const search = (subjectId: string, query: string) => app.core.search.search(tenantId, subjectId, { query, topK: 10 });
    const context = (subjectId: string, query: string) =>
      app.core.context.assemble(tenantId, subjectId, { format: 'ai_ready', includeBeliefs: true, includeNarrative: true, includeRecommendations: true, query, maxTokens: 2000 });
    const searchSmall = await measure(someSubject, search);
    const contextSmall = await measure(someSubject, context);
    const searchBig = await measure(() => 'big', search);
    const contextBig = await measure(() => 'big', context);
    const rssMb = round(process.memoryUsage().rss / 1_048_576, 0);
    await app.http.close();
    return [
      {
        name: 'search and context at scale',
        params: { memories: total, subjects: p.subjects + 1, per_subject: p.perSubject, big_subject: p.bigSubject, queries: p.queries },
        metrics: {
          load_rows_per_s: round(total / (loadMs / 1000), 0),
          search_ms_1k_subject: searchSmall,
          context_2000_tokens_ms_1k_subject: contextSmall,
          search_ms_100k_subject: searchBig,
          context_2000_tokens_ms_100k_subject: contextBig,
          rss_mb: rssMb,
        },
        notes: [
          'Memories are LoCoMo turns drawn at random (real sentence lengths and vocabulary), each an event document of the search index with its passage (itself and two turns each side in its session of 20), inserted with indexDocs in 1,000-row transactions.',
          'Queries are LoCoMo questions drawn at random; search top_k 10; context ai_ready with the question as query and max_tokens 2000. In-process calls to the services behind /external/search and /external/context (no HTTP), after 20 warm-up calls.',
          'RSS is the bench process, which holds the whole core (as `engram serve` would) after the runs.',
          'PostgreSQL: the table is vacuumed and analyzed after the load, as autovacuum would have done in a running server.',
        ],
      },
    ];
  } finally {
    await dropDb();
  }
}

export function scaleParams(options: ReadonlyMap<string, string>): ScaleParams {
  const n = (name: string, fallback: number) => Math.floor(Number(options.get(name) ?? fallback));
  return { subjects: n('scale-subjects', 1000), perSubject: n('scale-per-subject', 1000), bigSubject: n('big-subject', 100_000), queries: n('queries', 200) };
}
