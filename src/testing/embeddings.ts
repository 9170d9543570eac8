// A stand-in embedding model for tests: words hashed into a small vector, served over the real
// OpenAI `/v1/embeddings` wire protocol by a StubServer; and search documents written straight to the table.
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema.js';
import { scopeToken } from '../retrieval/store.js';
import type { StubReply, StubRequest } from './stub-http.js';

/** Texts that share words get close vectors; the same text always the same vector. */
export function hashEmbedding(text: string, dims = 128): number[] {
  const v = new Array<number>(dims).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
    v[(h >>> 0) % dims]! += 1;
  }
  return v;
}

/** The embeddings answer to a request, as an OpenAI-compatible server gives it (data in reverse order, to prove `index` is read). */
export function embeddingsReply(req: StubRequest, dims = 128): StubReply {
  const { model, input } = req.body as { model: string; input: string[] };
  const data = input.map((text, index) => ({ object: 'embedding', index, embedding: hashEmbedding(text, dims) })).reverse();
  return { status: 200, body: { object: 'list', model, data, usage: { prompt_tokens: input.length, total_tokens: input.length } } };
}

let written = 0;

/** Adds search documents (turns) for one subject, each in a session of its own (so each is embedded alone); returns their ids in order. */
export async function insertDocs(db: Kysely<DB>, tenantId: string, subjectId: string, bodies: string[], occurredAt = 0): Promise<number[]> {
  const ids: number[] = [];
  for (const [i, body] of bodies.entries()) {
    const refId = `doc-${++written}`;
    const row = await db
      .insertInto('search_docs')
      .values({
        tenant_id: tenantId,
        subject_id: subjectId,
        scope: scopeToken(tenantId, subjectId, 'event'),
        kind: 'event',
        ref_id: refId,
        envelope_id: null,
        session_id: `session-${refId}`,
        speaker: null,
        occurred_at: occurredAt + i,
        body,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(Number(row.id));
  }
  return ids;
}
