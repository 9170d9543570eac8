// The key that signs access JWTs: generated once, kept in the database so every process shares it.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema.js';

const name = 'jwt_signing_key';

export async function loadSigningKey(db: Kysely<DB>, now: number): Promise<Uint8Array> {
  await db
    .insertInto('server_settings')
    .values({ name, value: randomBytes(32).toString('base64url'), created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_settings').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return new Uint8Array(Buffer.from(row.value, 'base64url'));
}
