// Subjects: registering external users once (onboarding), and the subject behind an account user.
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { isUniqueViolation } from '../platform/db/index.js';
import type { DB } from '../platform/db/schema.js';
import { AppError } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { type Subject, eraseSubjectRows, findSubject, insertSubject } from './store.js';

export type { Subject };

export interface Onboarding {
  email?: string | null;
  externalId?: string | null;
  appId?: string | null;
  displayName?: string | null;
  metadata?: Record<string, unknown>;
}

export class SubjectService {
  constructor(private readonly deps: { db: Kysely<DB>; clock: Clock; ids: Ids }) {}

  /**
   * Registers an external user once: the same external_id (or, without one, the same email) in the tenant
   * returns the existing subject with created=false, also when two calls race.
   */
  async onboard(tenantId: string, input: Onboarding): Promise<{ subject: Subject; created: boolean }> {
    const email = input.email ? input.email.trim().toLowerCase() : null;
    const existing = await this.findExisting(tenantId, input.externalId ?? null, email);
    if (existing) return { subject: existing, created: false };
    const now = this.deps.clock.now();
    const subject: Omit<Subject, 'tenantId'> = {
      id: this.deps.ids.next(),
      kind: 'external_user',
      externalId: input.externalId ?? null,
      email,
      appId: input.appId ?? null,
      userId: null,
      displayName: input.displayName ?? null,
      selfModelId: this.deps.ids.next(),
      metadata: input.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    };
    try {
      await insertSubject(this.deps.db, tenantId, subject);
      return { subject: { ...subject, tenantId }, created: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // A concurrent onboarding won, or the email already belongs to a user with another external_id.
      const winner =
        (await this.findExisting(tenantId, input.externalId ?? null, null)) ?? (await this.findExisting(tenantId, null, email));
      if (!winner) throw err;
      return { subject: winner, created: false };
    }
  }

  /** An external user of this tenant by id; another tenant's id is simply not found. */
  async get(tenantId: string, id: string): Promise<Subject> {
    const subject = await findSubject(this.deps.db, tenantId, { id });
    if (!subject) throw new AppError('not_found', { resource: 'User', id });
    return subject;
  }

  async getByExternalId(tenantId: string, externalId: string): Promise<Subject> {
    const subject = await findSubject(this.deps.db, tenantId, { kind: 'external_user', externalId });
    if (!subject) throw new AppError('not_found', { resource: 'User', id: externalId });
    return subject;
  }

  async getBySelfModelId(tenantId: string, selfModelId: string): Promise<Subject> {
    const subject = await findSubject(this.deps.db, tenantId, { selfModelId });
    if (!subject) throw new AppError('not_found', { resource: 'Self-model', id: selfModelId });
    return subject;
  }

  /**
   * Erases a subject and everything derived from it (events, episodes, beliefs, evidence, sessions);
   * returns how many rows of each went. Queued jobs for its events find nothing and stop.
   */
  async erase(tenantId: string, id: string): Promise<Record<string, number>> {
    await this.get(tenantId, id);
    return eraseSubjectRows(this.deps.db, tenantId, id);
  }

  /** The memory of an account user (recording face), created on first use. */
  async forAccountUser(tenantId: string, userId: string, displayName: string | null): Promise<Subject> {
    const found = await findSubject(this.deps.db, tenantId, { kind: 'account_user', userId });
    if (found) return found;
    const now = this.deps.clock.now();
    const subject: Omit<Subject, 'tenantId'> = {
      id: this.deps.ids.next(),
      kind: 'account_user',
      externalId: null,
      email: null,
      appId: null,
      userId,
      displayName,
      selfModelId: this.deps.ids.next(),
      metadata: {},
      createdAt: now,
      updatedAt: now,
    };
    try {
      await insertSubject(this.deps.db, tenantId, subject);
      return { ...subject, tenantId };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const winner = await findSubject(this.deps.db, tenantId, { kind: 'account_user', userId });
      if (!winner) throw err;
      return winner;
    }
  }

  private async findExisting(tenantId: string, externalId: string | null, email: string | null): Promise<Subject | undefined> {
    if (externalId) return findSubject(this.deps.db, tenantId, { kind: 'external_user', externalId });
    if (email) return findSubject(this.deps.db, tenantId, { kind: 'external_user', email });
    return undefined;
  }
}
