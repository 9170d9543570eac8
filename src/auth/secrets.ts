// Credential secrets: ≥256 random bits with a kind prefix, stored as a SHA-256 hash, shown once.
// A fast hash is right here (unlike passwords): the secret is random, so there is nothing to guess.
import { createHash, randomBytes } from 'node:crypto';
import type { CredentialKind } from '../platform/db/schema.js';

/** How each kind's secret starts, as the face documents it (../shared/spec). */
export const secretPrefixes: Record<CredentialKind, string> = {
  selfmodel: 'egk_',
  clone: 'clone_',
  platform: 'atm_',
  developer: 'clr_dev_',
  ingestion: 'egi_',
};

export function newSecret(kind: CredentialKind): string {
  return secretPrefixes[kind] + randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** The part of a secret that may be shown again (lists, logs): its kind prefix and 6 more characters. */
export function visiblePrefix(secret: string): string {
  const kindPrefix = Object.values(secretPrefixes).find((p) => secret.startsWith(p)) ?? '';
  return secret.slice(0, kindPrefix.length + 6);
}
