// The `engram` command as a user runs it: real processes, real SQLite files.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('./main.js', import.meta.url));
const dirs: string[] = [];
const children: ChildProcess[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'engram-cli-'));
  dirs.push(dir);
  return dir;
}

function engram(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [main, ...args], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

after(() => {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('engram CLI', () => {
  test('version prints the package version', () => {
    const r = engram(['version']);
    assert.equal(r.status, 0);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });

  test('bad configuration exits non-zero with one line naming the variable', () => {
    const r = engram(['serve'], { ENGRAM_PORT: 'seventy' });
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /ENGRAM_PORT="seventy" — expected a number/);
  });

  test('an unknown command exits 2 with the usage', () => {
    const r = engram(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /unknown command "frobnicate"/);
    assert.match(r.stderr, /usage: engram/);
  });

  test('an unreachable PostgreSQL is a clear one-line error, not a stack', () => {
    const r = engram(['migrate'], { DATABASE_URL: 'postgres://someone:pw@127.0.0.1:1/none' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^engram: cannot reach PostgreSQL at postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/none/);
    assert.doesNotMatch(r.stderr, /pw@|\n\s+at /);
  });

  test('a data directory that cannot be created is a clear error', () => {
    const file = join(dataDir(), 'a-file');
    writeFileSync(file, 'not a directory');
    const r = engram(['migrate'], { ENGRAM_DATA_DIR: join(file, 'data') });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^engram: cannot (create data directory|open SQLite file)/);
  });

  test('migrate applies the migrations once', () => {
    const env = { ENGRAM_DATA_DIR: dataDir() };
    const first = engram(['migrate'], env);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /applied: 0001_foundation, 0002_credentials/);
    assert.match(engram(['migrate'], env).stdout, /database is up to date/);
  });

  test('keys scope-down narrows a key to a subset of its scopes and refuses to widen it', () => {
    const env = { ENGRAM_DATA_DIR: dataDir() };
    const created = engram(['keys', 'create', '--kind', 'developer', '--scopes', 'documents:list,documents:read'], env);
    assert.equal(created.status, 0, created.stderr);
    const id = created.stderr.match(/created developer key (\S+) /)?.[1];
    assert.ok(id, created.stderr);
    const down = engram(['keys', 'scope-down', '--id', id, '--scopes', 'documents:list'], env);
    assert.equal(down.status, 0, down.stderr);
    assert.equal(down.stdout.trim(), 'documents:list');
    const up = engram(['keys', 'scope-down', '--id', id, '--scopes', 'documents:list,documents:read'], env);
    assert.equal(up.status, 1);
    assert.match(up.stderr, /^engram: Scopes can only be narrowed; this key does not hold documents:read \(conflict\)/);
    const unknown = engram(['keys', 'scope-down', '--id', 'no-such-key', '--scopes', 'documents:list'], env);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /API key not found: no-such-key/);
    assert.equal(engram(['keys', 'scope-down', '--id', id], env).status, 2, 'without --scopes: usage');
  });

  test('staff grant refuses an unknown user and prints usage without --user', () => {
    const env = { ENGRAM_DATA_DIR: dataDir() };
    const unknown = engram(['staff', 'grant', '--user', 'nobody'], env);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /User not found: nobody/);
    assert.equal(engram(['staff', 'grant'], env).status, 2, 'without --user: usage');
  });

  test('keys create prints a key once; serve accepts it and stops cleanly on SIGTERM', async () => {
    const env = { ENGRAM_DATA_DIR: dataDir() };
    const created = engram(['keys', 'create', '--kind', 'selfmodel', '--name', 'cli test'], env);
    assert.equal(created.status, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^egk_/);
    assert.match(created.stderr, /shown only once/);

    const server = spawn(process.execPath, [main, 'serve'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ENGRAM_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(server);
    const lines = createInterface({ input: server.stdout! });
    const logged: { msg?: string; url?: string }[] = [];
    const listening = await new Promise<{ url: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start in 20 s')), 20_000);
      lines.on('line', (line) => {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        logged.push(entry);
        if (entry.msg === 'engram listening') {
          clearTimeout(timer);
          resolve(entry as { url: string });
        }
      });
    });
    const health = await fetch(`${listening.url}/healthz`);
    assert.equal(health.status, 200);
    const formats = await fetch(`${listening.url}/external/context/formats`, { headers: { 'x-api-key': key } });
    assert.equal(formats.status, 200);
    assert.equal(formats.headers.get('x-correlation-id')?.length, 36);

    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.ok(logged.some((l) => l.msg === 'stopped cleanly'));
    assert.ok(!logged.some((l) => JSON.stringify(l).includes(key)), 'the key never appears in the log');
  });
});
