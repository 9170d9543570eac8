// Kysely table types: the shape of every table, as both engines store it. Instants are epoch ms.
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
}

export type JobStatus = 'queued' | 'running' | 'completed' | 'dead';

export interface JobsTable {
  id: string;
  tenant_id: string;
  kind: string;
  payload: string;
  status: JobStatus;
  priority: Generated<number>;
  idempotency_key: string | null;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: number;
  lease_until: number | null;
  lease_token: string | null;
  locked_by: string | null;
  last_error: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
}

export type CredentialKind = 'selfmodel' | 'clone' | 'platform' | 'developer' | 'ingestion';

export interface CredentialsTable {
  id: string;
  tenant_id: string;
  kind: CredentialKind;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface DB {
  tenants: TenantsTable;
  jobs: JobsTable;
  credentials: CredentialsTable;
}
