// The memory pipeline across real processes on PostgreSQL: `engram serve` without a worker, a separate
// `engram worker` killed with SIGKILL mid-batch, a second worker finishing — every envelope processed once,
// no duplicate beliefs.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { type TestDatabase, createTestDatabase, isPostgresReachable } from '../testing/db.js';
import { waitFor } from '../testing/wait.js';

const main = fileURLToPath(new URL('../main.js', import.meta.url));
const skip = (await isPostgresReachable()) ? false : 'PostgreSQL unreachable — POSTGRES TESTS SKIPPED';
const key = 'pipeline-processes-test-key-0123456789abcdef';

const facts = [
  'I live in Lisbon.',
  'I work as a nurse.',
  'I love hiking.',
  'I have a dog named Pixel.',
  'My sister Ana lives in Berlin.',
  'I moved from Lisbon to Porto yesterday.',
  'I started a new job as a teacher.',
  'I enjoy reading science fiction.',
  'I dislike crowded places.',
  'I am learning to play the guitar.',
];

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; line: Record<string, unknown> }> {
  const child = spawn(process.execPath, [main, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start in 20 s`)), 20_000);
    createInterface({ input: child.stdout! }).on('line', (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      if (typeof line.msg === 'string' && ready.test(line.msg)) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
  });
}

/** This file's deadline and polling pace. */
const until = <T>(what: string, check: () => Promise<T | undefined> | T | undefined) => waitFor(what, check, { timeoutMs: 60_000, everyMs: 50 });

describe('pipeline across processes (postgres)', { skip }, () => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];

  before(async () => {
    db = await createTestDatabase('postgres');
  });
  after(async () => {
    for (const c of children) c.kill('SIGKILL');
    await db?.cleanup();
  });

  test('a worker killed mid-batch loses nothing and duplicates nothing', async () => {
    const env = { ...db.env, ENGRAM_BOOTSTRAP_KEY: key };
    const server = await start(['serve'], { ...env, ENGRAM_PORT: '0', ENGRAM_SERVE_WORKER: 'false' }, /^engram listening$/);
    children.push(server.child);
    const url = server.line.url as string;
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const users: string[] = [];
    for (let u = 0; u < 3; u++) users.push(((await (await post('/external/onboarding', { external_id: `p-${u}` })).json()) as { user_id: string }).user_id);
    const total = 90;
    for (let i = 0; i < total; i++) {
      const res = await post('/external/input', {
        envelope_id: `env-${i}`,
        user_id: users[i % users.length],
        input_type: 'conversation_turn',
        timestamp: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
        data: { speaker: 'me', text: facts[Math.floor(i / users.length) % facts.length] },
      });
      assert.equal(res.status, 200);
    }

    const counts = async () => {
      const rows = await sql<{ status: string; n: string | number }>`select status, count(*) as n from events group by status`.execute(db.database.db);
      return Object.fromEntries(rows.rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>;
    };
    const workerEnv = { ...env, ENGRAM_JOB_LEASE_SECONDS: '2', ENGRAM_WORKER_CONCURRENCY: '2' };
    const first = await start(['worker'], workerEnv, /^worker started$/);
    children.push(first.child);
    await until('some envelopes processed', async () => ((await counts()).processed ?? 0) >= 10 ? true : undefined);
    first.child.kill('SIGKILL');
    const atKill = (await counts()).processed ?? 0;
    assert.ok(atKill < total, `the kill came mid-batch (${atKill} of ${total} processed)`);

    const second = await start(['worker'], workerEnv, /^worker started$/);
    children.push(second.child);
    await until('every envelope processed', async () => ((await counts()).processed === total ? true : undefined));

    const q = db.database.db;
    const episodes = await q.selectFrom('episodes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(episodes.n), total, 'one episode per envelope');
    const duplicates = await sql<{ n: string | number }>`
      select count(*) as n from (
        select subject_id, about, predicate, object_key, positive from beliefs where status = 'active'
        group by subject_id, about, predicate, object_key, positive having count(*) > 1
      ) d`.execute(q);
    assert.equal(Number(duplicates.rows[0]!.n), 0, 'no belief was created twice');
    const jobs = await q.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    assert.deepEqual(jobs.map((j) => [j.status, Number(j.n)]), [['completed', total]]);
    for (const user of users) {
      const res = await post('/external/context', { user_id: user, format: 'ai_ready' });
      const text = ((await res.json()) as { ai_ready: { text: string } }).ai_ready.text;
      assert.match(text, /lives in Porto/);
      assert.doesNotMatch(text, /lives in Lisbon/);
    }
  });
});
