// Sealing source secrets at rest: AES-256-GCM under a key from ENGRAM_SECRET_KEY, or else from
// `<data dir>/source-secrets.key`, generated (32 random bytes, mode 0600) the first time it is needed.
// Losing the key loses the secrets (sources then need them set again), never the rest of the data.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const version = 'v1';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** From the configured secret (any length ≥ 32; hashed to 32 bytes), else the data dir's key file. */
  static open(options: { secretKey: string | undefined; dataDir: string }): SecretBox {
    if (options.secretKey) return new SecretBox(createHash('sha256').update(options.secretKey).digest());
    const file = join(options.dataDir, 'source-secrets.key');
    if (!existsSync(file)) {
      mkdirSync(options.dataDir, { recursive: true });
      // 'wx': if another process wrote it first, keep theirs.
      try {
        writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
    return new SecretBox(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  }

  seal(plain: Record<string, string>): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
    return [version, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string): Record<string, string> {
    const [v, iv, tag, body] = sealed.split(':');
    if (v !== version || !iv || !tag || body === undefined) throw new Error('sealed secrets: unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as Record<string, string>;
  }
}
