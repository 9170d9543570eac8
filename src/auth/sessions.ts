// Sessions: short-lived access JWTs and rotating refresh tokens. Presenting a refresh token that was
// already rotated means it was copied: the whole family is revoked (theft detection).
import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { toIso } from '../platform/clock.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { hashSecret } from './secrets.js';
import { loadSigningKey } from './signing-key.js';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires (ISO-8601). */
  expiresAt: string;
  refreshExpiresAt: string;
}

export interface SessionSubject {
  tenantId: string;
  userId: string;
}

const issuer = 'engram';

export class SessionService {
  private key: Promise<Uint8Array> | undefined;

  constructor(
    private readonly deps: {
      db: Kysely<DB>;
      clock: Clock;
      ids: Ids;
      accessTtlMs: number;
      refreshTtlMs: number;
    },
  ) {}

  private signingKey(): Promise<Uint8Array> {
    this.key ??= loadSigningKey(this.deps.db, this.deps.clock.now()).catch((err: unknown) => {
      this.key = undefined;
      throw err;
    });
    return this.key;
  }

  /** Starts a new token family (login), or continues one (refresh). */
  async issue(subject: SessionSubject, options: { familyId?: string; deviceId?: string | null } = {}): Promise<TokenPair> {
    const now = this.deps.clock.now();
    const accessExp = now + this.deps.accessTtlMs;
    const accessToken = await new SignJWT({ tid: subject.tenantId })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(subject.userId)
      .setIssuer(issuer)
      .setIssuedAt(Math.floor(now / 1000))
      .setExpirationTime(Math.floor(accessExp / 1000))
      .setJti(this.deps.ids.next())
      .sign(await this.signingKey());
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    const refreshExp = now + this.deps.refreshTtlMs;
    await this.deps.db
      .insertInto('refresh_tokens')
      .values({
        id: this.deps.ids.next(),
        tenant_id: subject.tenantId,
        user_id: subject.userId,
        family_id: options.familyId ?? this.deps.ids.next(),
        token_hash: hashSecret(refreshToken),
        device_id: options.deviceId ?? null,
        created_at: now,
        expires_at: refreshExp,
        rotated_at: null,
        revoked_at: null,
      })
      .execute();
    return { accessToken, refreshToken, expiresAt: toIso(accessExp), refreshExpiresAt: toIso(refreshExp) };
  }

  /**
   * Rotates a refresh token. One conditional UPDATE decides the winner, so of many concurrent refreshes
   * with the same token exactly one succeeds; any later use of it revokes the family.
   */
  async rotate(refreshToken: string): Promise<{ subject: SessionSubject; familyId: string; deviceId: string | null }> {
    const now = this.deps.clock.now();
    const hash = hashSecret(refreshToken);
    const row = await this.deps.db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    const invalid = new AppError('unauthorized', { reason: 'Invalid or expired refresh token' });
    if (!row || row.revoked_at !== null || row.expires_at <= now) throw invalid;
    const won = await this.deps.db
      .updateTable('refresh_tokens')
      .set({ rotated_at: now })
      .where('id', '=', row.id)
      .where('rotated_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (won.numUpdatedRows === 0n) {
      await this.revokeFamily(row.tenant_id, row.family_id);
      throw invalid;
    }
    return { subject: { tenantId: row.tenant_id, userId: row.user_id }, familyId: row.family_id, deviceId: row.device_id };
  }

  async revokeFamily(tenantId: string, familyId: string): Promise<void> {
    await this.deps.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: this.deps.clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('family_id', '=', familyId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every session of a user (password reset, disable, delete). */
  async revokeUser(tenantId: string, userId: string): Promise<void> {
    await this.deps.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: this.deps.clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  /** Ends every session a device started (the device was removed). */
  async revokeDevice(tenantId: string, deviceId: string): Promise<void> {
    await this.deps.db
      .updateTable('refresh_tokens')
      .set({ revoked_at: this.deps.clock.now() })
      .where('tenant_id', '=', tenantId)
      .where('device_id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async verifyAccess(token: string): Promise<SessionSubject> {
    const key = await this.signingKey();
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer,
        algorithms: ['HS256'],
        currentDate: new Date(this.deps.clock.now()),
      });
      if (typeof payload.sub !== 'string' || typeof payload.tid !== 'string') throw new Error('claims');
      return { tenantId: payload.tid, userId: payload.sub };
    } catch {
      throw new AppError('unauthorized', { reason: 'Invalid or expired access token' });
    }
  }
}
