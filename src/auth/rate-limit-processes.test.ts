// A key's rate limit holds across two API processes sharing one PostgreSQL.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestApp } from '../testing/app.js';
import { type TestDatabase, createTestDatabase, isPostgresReachable } from '../testing/db.js';

const main = fileURLToPath(new URL('../main.js', import.meta.url));
const skip = (await isPostgresReachable()) ? false : 'PostgreSQL unreachable — POSTGRES TESTS SKIPPED';

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [main, 'serve'], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ENGRAM_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start in 20 s')), 20_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'engram listening') {
        clearTimeout(timer);
        resolve({ child, url: entry.url! });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

describe('rate limit across two API processes (postgres)', { skip }, () => {
  let db: TestDatabase;
  const servers: { child: ChildProcess; url: string }[] = [];
  let key = '';

  before(async () => {
    db = await createTestDatabase('postgres');
    const app = await createTestApp(db);
    const tenant = await app.core.tenants.create('limited');
    key = (await app.core.auth.createCredential(tenant.id, { kind: 'selfmodel', rateLimitPerMinute: 10 })).secret;
    await app.http.close();
    servers.push(await startServer(db.env), await startServer(db.env));
  });
  after(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await db?.cleanup();
  });

  test('10 per minute in total, however the calls are spread', async () => {
    // Real processes use the real clock: start well inside a minute window so all 20 calls share it.
    const leftInWindow = 60_000 - (Date.now() % 60_000);
    if (leftInWindow < 10_000) await new Promise((r) => setTimeout(r, leftInWindow + 100));
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${servers[i % 2]!.url}/external/context/formats`, { headers: { 'x-api-key': key } });
      statuses.push(res.status);
      if (res.status === 429) assert.ok(Number(res.headers.get('retry-after')) >= 1);
    }
    assert.deepEqual(statuses, [...Array(10).fill(200), ...Array(10).fill(429)]);
  });
});
