// Device login: a device registers an Ed25519 public key, asks for a single-use expiring challenge,
// signs it with its private key and gets a session for its user.
import { type KeyObject, createPublicKey, randomBytes, verify } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { DB, DevicesTable } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { UserService } from '../users/service.js';
import type { AccountService, Session } from './accounts.js';
import type { SessionService } from './sessions.js';
import { type Principal, requireUser } from './principal.js';

export interface Device {
  id: string;
  userId: string;
  name: string;
  publicKey: string;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
  lastLoginAt: number | null;
}

const challengeTtlMs = 5 * 60_000;
/** DER prefix that turns a raw 32-byte Ed25519 key into SubjectPublicKeyInfo. */
const ed25519SpkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');

/** Accepts a PEM (SPKI) key or the raw 32-byte key in base64/base64url; anything else is a 400. */
export function parseEd25519PublicKey(text: string): KeyObject {
  try {
    const key = text.includes('BEGIN PUBLIC KEY')
      ? createPublicKey(text)
      : createPublicKey({ key: Buffer.concat([ed25519SpkiPrefix, rawKey(text)]), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not ed25519');
    return key;
  } catch {
    throw new AppError('validation_failed', {
      summary: 'publicKey: an Ed25519 public key, as PEM or the raw 32 bytes in base64',
      issues: [{ location: 'body', path: 'publicKey', message: 'not an Ed25519 public key' }],
    });
  }
}

function rawKey(text: string): Buffer {
  const raw = Buffer.from(text.trim(), 'base64');
  if (raw.length !== 32) throw new Error('length');
  return raw;
}

const toDevice = (r: Selectable<DevicesTable>): Device => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  publicKey: r.public_key,
  metadata: JSON.parse(r.metadata) as Record<string, unknown>,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastLoginAt: r.last_login_at,
});

export class DeviceService {
  constructor(
    private readonly deps: {
      db: Kysely<DB>;
      clock: Clock;
      ids: Ids;
      users: UserService;
      accounts: AccountService;
      sessions: SessionService;
    },
  ) {}

  async register(principal: Principal, input: { name: string; publicKey: string; metadata?: Record<string, unknown> }): Promise<Device> {
    const userId = requireUser(principal);
    parseEd25519PublicKey(input.publicKey);
    const now = this.deps.clock.now();
    const device: Device = {
      id: this.deps.ids.next(),
      userId,
      name: input.name,
      publicKey: input.publicKey.trim(),
      metadata: input.metadata ?? {},
      createdAt: now,
      updatedAt: now,
      lastLoginAt: null,
    };
    await this.deps.db
      .insertInto('devices')
      .values({
        id: device.id,
        tenant_id: principal.tenantId,
        user_id: userId,
        name: device.name,
        public_key: device.publicKey,
        metadata: JSON.stringify(device.metadata),
        created_at: now,
        updated_at: now,
        last_login_at: null,
      })
      .execute();
    return device;
  }

  async list(principal: Principal): Promise<Device[]> {
    const userId = requireUser(principal);
    const rows = await this.deps.db
      .selectFrom('devices')
      .selectAll()
      .where('tenant_id', '=', principal.tenantId)
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map(toDevice);
  }

  async get(principal: Principal, id: string): Promise<Device> {
    const userId = requireUser(principal);
    const row = await this.deps.db
      .selectFrom('devices')
      .selectAll()
      .where('tenant_id', '=', principal.tenantId)
      .where('user_id', '=', userId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found', { resource: 'Device', id });
    return toDevice(row);
  }

  async update(principal: Principal, id: string, changes: { name?: string; metadata?: Record<string, unknown> }): Promise<Device> {
    await this.get(principal, id);
    await this.deps.db
      .updateTable('devices')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.metadata !== undefined ? { metadata: JSON.stringify(changes.metadata) } : {}),
        updated_at: this.deps.clock.now(),
      })
      .where('tenant_id', '=', principal.tenantId)
      .where('id', '=', id)
      .execute();
    return this.get(principal, id);
  }

  /** Removes a device: its pending challenges go, and the sessions it started end. */
  async remove(principal: Principal, id: string): Promise<void> {
    await this.get(principal, id);
    await this.deps.sessions.revokeDevice(principal.tenantId, id);
    await this.deps.db.deleteFrom('device_challenges').where('tenant_id', '=', principal.tenantId).where('device_id', '=', id).execute();
    await this.deps.db.deleteFrom('devices').where('tenant_id', '=', principal.tenantId).where('id', '=', id).execute();
  }

  /** Public: a fresh random challenge for a device, valid once for five minutes. */
  async challenge(deviceId: string): Promise<{ challengeId: string; challenge: string; expiresAt: number }> {
    const device = await this.deps.db.selectFrom('devices').select(['id', 'tenant_id']).where('id', '=', deviceId).executeTakeFirst();
    if (!device) throw new AppError('not_found', { resource: 'Device', id: deviceId });
    const now = this.deps.clock.now();
    const challenge = { challengeId: this.deps.ids.next(), challenge: randomBytes(32).toString('base64url'), expiresAt: now + challengeTtlMs };
    await this.deps.db
      .insertInto('device_challenges')
      .values({
        id: challenge.challengeId,
        tenant_id: device.tenant_id,
        device_id: device.id,
        challenge: challenge.challenge,
        created_at: now,
        expires_at: challenge.expiresAt,
        used_at: null,
      })
      .execute();
    return challenge;
  }

  /**
   * Public: completes a device login. The challenge is consumed by one conditional UPDATE before the
   * signature counts, so a replayed or concurrent second use fails even with a valid signature.
   */
  async login(input: { deviceId: string; challengeId: string; signature: string }): Promise<Session> {
    const { db, clock, users, accounts } = this.deps;
    const refused = new AppError('unauthorized', { reason: 'Invalid, expired or used challenge, or bad signature' });
    const row = await db
      .selectFrom('device_challenges')
      .innerJoin('devices', (j) => j.onRef('devices.id', '=', 'device_challenges.device_id').onRef('devices.tenant_id', '=', 'device_challenges.tenant_id'))
      .select([
        'device_challenges.challenge',
        'device_challenges.tenant_id',
        'devices.id as device_id',
        'devices.user_id',
        'devices.public_key',
      ])
      .where('device_challenges.id', '=', input.challengeId)
      .where('device_challenges.device_id', '=', input.deviceId)
      .executeTakeFirst();
    if (!row) throw refused;
    const now = clock.now();
    const consumed = await db
      .updateTable('device_challenges')
      .set({ used_at: now })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', input.challengeId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    if (consumed.numUpdatedRows === 0n) throw refused;
    const signature = Buffer.from(input.signature, 'base64');
    const valid = verify(null, Buffer.from(row.challenge, 'utf8'), parseEd25519PublicKey(row.public_key), signature);
    if (!valid) throw refused;
    const user = await users.activeUser(row.tenant_id, row.user_id);
    if (!user) throw refused;
    await db.updateTable('devices').set({ last_login_at: now }).where('tenant_id', '=', row.tenant_id).where('id', '=', row.device_id).execute();
    return accounts.startSession(user, row.device_id);
  }
}
