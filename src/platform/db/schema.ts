// Kysely table types: the shape of every table, as both engines store it. Instants are epoch ms.
import type { Generated } from 'kysely';

export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
  rate_limit_per_minute: number | null;
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
  user_id: string | null;
  rate_limit_per_minute: number | null;
  /** Set on platform keys that act as an identity (0006). */
  identity_id: string | null;
}

export interface ServerSettingsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface RolesTable {
  id: string;
  tenant_id: string;
  name: string;
  description: string | null;
  permissions: string;
  is_system: number;
  created_at: number;
  updated_at: number;
}

export type UserStatus = 'active' | 'disabled';

export interface UsersTable {
  id: string;
  tenant_id: string;
  username: string;
  email: string;
  display_name: string | null;
  password_hash: string;
  role_id: string;
  status: UserStatus;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  deleted_at: number | null;
}

export interface RefreshTokensTable {
  id: string;
  tenant_id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  device_id: string | null;
  created_at: number;
  expires_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}

export interface DevicesTable {
  id: string;
  tenant_id: string;
  user_id: string;
  name: string;
  public_key: string;
  metadata: string;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface DeviceChallengesTable {
  id: string;
  tenant_id: string;
  device_id: string;
  challenge: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface RateLimitWindowsTable {
  bucket: string;
  window_start: number;
  hits: number;
}

export interface CallLogTable {
  id: string;
  tenant_id: string;
  at: number;
  level: string;
  method: string;
  route: string;
  status: number;
  latency_ms: number;
  credential_id: string | null;
  user_id: string | null;
  identity_id: string | null;
  plugin_id: string | null;
  correlation_id: string;
  request_id: string;
}

export interface InvitesTable {
  id: string;
  tenant_id: string;
  email: string;
  token_hash: string;
  role_id: string;
  invited_by: string;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface WaitlistTable {
  id: string;
  email: string;
  note: string | null;
  created_at: number;
}

export type SubjectKind = 'external_user' | 'account_user' | 'identity';

export interface SubjectsTable {
  id: string;
  tenant_id: string;
  kind: SubjectKind;
  external_id: string | null;
  email: string | null;
  app_id: string | null;
  user_id: string | null;
  display_name: string | null;
  self_model_id: string;
  metadata: string;
  created_at: number;
  updated_at: number;
}

export type IdentityType = 'AI' | 'Human' | 'System';

export interface IdentitiesTable {
  tenant_id: string;
  id: string;
  subject_id: string;
  name: string;
  display_name: string | null;
  bio: string | null;
  origin: string | null;
  type: IdentityType;
  linked_user_id: string | null;
  presence: Generated<string>;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
}

export type MemorySessionStatus = 'created' | 'active' | 'completed' | 'failed' | 'abandoned';

export interface MemorySessionsTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  session_type: string;
  expected_episode_count: number | null;
  processed_episode_count: Generated<number>;
  status: MemorySessionStatus;
  metadata: string;
  causation_id: string | null;
  correlation_id: string | null;
  error_message: string | null;
  summary: string | null;
  snapshot: string | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  completed_at: number | null;
}

export type EventStatus = 'received' | 'processing' | 'processed' | 'failed';

export interface EventsTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  idempotency_key: string;
  envelope_id: string;
  source: string;
  input_type: string;
  schema_version: string | null;
  session_id: string | null;
  occurred_at: number;
  received_at: number;
  data: string;
  content_hash: string;
  speaker: string | null;
  text: string;
  status: EventStatus;
  episode_id: string | null;
  belief_ids: string | null;
  error_message: string | null;
  processed_at: number | null;
}

export interface EpisodesTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  event_id: string;
  session_id: string | null;
  occurred_at: number;
  summary: string;
  created_at: number;
}

export type BeliefStatus = 'active' | 'superseded' | 'retracted';

export interface BeliefsTable {
  id: string;
  tenant_id: string;
  subject_id: string;
  about: string;
  predicate: string;
  object: string;
  object_key: string;
  statement: string;
  positive: number;
  category: string;
  confidence: number;
  confirmations: number;
  status: BeliefStatus;
  source: string;
  valid_from: number;
  valid_to: number | null;
  when_at: number | null;
  first_seen: number;
  last_confirmed: number;
  recorded_at: number;
  superseded_at: number | null;
  superseded_by: string | null;
  contradicts: string | null;
  updated_at: number;
}

export interface BeliefEvidenceTable {
  tenant_id: string;
  belief_id: string;
  event_id: string;
  subject_id: string;
  envelope_id: string;
  created_at: number;
}

export interface ProfileFieldsTable {
  tenant_id: string;
  subject_id: string;
  field: string;
  /** JSON. */
  value: string;
  updated_at: number;
}

export interface GovernanceEventsTable {
  id: string;
  tenant_id: string;
  credential_id: string;
  type: string;
  occurred_at: number;
  received_at: number;
  idempotency_key: string | null;
  content_hash: string;
  system_id: string | null;
  team_id: string | null;
  actor_id: string | null;
  subject_id: string | null;
  level: string | null;
  body: string;
}

export type AccessGrantStatus = 'pending' | 'active' | 'declined';

export interface AccessGrantsTable {
  tenant_id: string;
  id: string;
  owner_user_id: string;
  member_user_id: string;
  status: AccessGrantStatus;
  created_at: number;
  updated_at: number;
  responded_at: number | null;
}

export interface AccessReadsTable {
  tenant_id: string;
  id: string;
  grant_id: string;
  owner_user_id: string;
  member_user_id: string;
  path: string;
  read_at: number;
}

export type SourceType = 'feed' | 'upload';
export type SourceStatus = 'idle' | 'syncing' | 'ok' | 'error';

export interface SourcesTable {
  tenant_id: string;
  id: string;
  user_id: string;
  name: string;
  type: SourceType;
  config: string;
  secrets: string | null;
  status: SourceStatus;
  last_error: string | null;
  last_synced_at: number | null;
  items_imported: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface NewsTable {
  id: string;
  title: string;
  body: string;
  url: string | null;
  author_tenant_id: string;
  author_user_id: string;
  published_at: number;
  created_at: number;
}

export interface StaffUsersTable {
  user_id: string;
  tenant_id: string;
  granted_at: number;
}

export interface DB {
  tenants: TenantsTable;
  jobs: JobsTable;
  credentials: CredentialsTable;
  server_settings: ServerSettingsTable;
  roles: RolesTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  devices: DevicesTable;
  device_challenges: DeviceChallengesTable;
  rate_limit_windows: RateLimitWindowsTable;
  call_log: CallLogTable;
  invites: InvitesTable;
  waitlist: WaitlistTable;
  subjects: SubjectsTable;
  identities: IdentitiesTable;
  memory_sessions: MemorySessionsTable;
  events: EventsTable;
  episodes: EpisodesTable;
  beliefs: BeliefsTable;
  belief_evidence: BeliefEvidenceTable;
  governance_events: GovernanceEventsTable;
  profile_fields: ProfileFieldsTable;
  predictions: PredictionsTable;
  access_grants: AccessGrantsTable;
  access_reads: AccessReadsTable;
  sources: SourcesTable;
  news: NewsTable;
  staff_users: StaffUsersTable;
  search_docs: SearchDocsTable;
  search_vectors: SearchVectorsTable;
}

export interface PredictionsTable {
  tenant_id: string;
  id: string;
  subject_id: string;
  user_id: string;
  type: string;
  situation: string;
  /** JSON array of strings, or null when the caller gave no options. */
  options: string | null;
  output: string | null;
  chosen_option: string | null;
  confidence: number | null;
  reasoning: string | null;
  model: string | null;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  status: 'completed' | 'failed';
  error: string | null;
  job_id: string | null;
  actual: string | null;
  /** 1 or 0; null until feedback says. */
  correct: number | null;
  score: number | null;
  feedback_at: number | null;
  created_at: number;
}

export interface SearchDocsTable {
  id: Generated<number>;
  tenant_id: string;
  subject_id: string;
  scope: string;
  kind: 'event' | 'belief';
  ref_id: string;
  envelope_id: string | null;
  session_id: string | null;
  speaker: string | null;
  occurred_at: number;
  body: string;
  /** An event's body with the turns around it in its session (null for beliefs); indexed beside body. */
  passage: string | null;
}

export interface SearchVectorsTable {
  tenant_id: string;
  subject_id: string;
  doc_id: number;
  model: string;
  dims: number;
  vector: Uint8Array;
  created_at: number;
}
