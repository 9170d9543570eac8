// Migration 0003: account users, roles, refresh-token families, devices, rate-limit windows, the call log,
// invites, the waitlist and server settings (the JWT signing key shared by every process).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('server_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('is_system', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('roles_tenant_name').on('roles').columns(['tenant_id', 'name']).unique().execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .addColumn('deleted_at', 'bigint')
    .execute();
  // Login names are global (login carries no tenant): a lookup table like credentials.
  await db.schema.createIndex('users_username').on('users').column('username').unique().execute();
  await db.schema.createIndex('users_email').on('users').column('email').unique().execute();
  await db.schema.createIndex('users_tenant_created').on('users').columns(['tenant_id', 'created_at']).execute();

  // Credentials may belong to a user (recording-face keys, per-user platform keys) and carry their own
  // rate limit; a tenant's plan may set one for all its keys.
  await db.schema.alterTable('credentials').addColumn('user_id', 'text').execute();
  await db.schema.alterTable('credentials').addColumn('rate_limit_per_minute', 'integer').execute();
  await db.schema.alterTable('tenants').addColumn('rate_limit_per_minute', 'integer').execute();

  await db.schema
    .createTable('refresh_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('family_id', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('rotated_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('refresh_tokens_hash').on('refresh_tokens').column('token_hash').unique().execute();
  await db.schema.createIndex('refresh_tokens_family').on('refresh_tokens').columns(['tenant_id', 'family_id']).execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();
  await db.schema.createIndex('devices_tenant_user').on('devices').columns(['tenant_id', 'user_id', 'created_at']).execute();

  await db.schema
    .createTable('device_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('device_id', 'text', (c) => c.notNull())
    .addColumn('challenge', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('device_challenges_device').on('device_challenges').columns(['tenant_id', 'device_id']).execute();

  await db.schema
    .createTable('rate_limit_windows')
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_limit_windows_pk', ['bucket', 'window_start'])
    .execute();

  await db.schema
    .createTable('call_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('route', 'text', (c) => c.notNull())
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('latency_ms', 'real', (c) => c.notNull())
    .addColumn('credential_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('identity_id', 'text')
    .addColumn('plugin_id', 'text')
    .addColumn('correlation_id', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('call_log_tenant_at').on('call_log').columns(['tenant_id', 'at']).execute();
  await db.schema.createIndex('call_log_tenant_correlation').on('call_log').columns(['tenant_id', 'correlation_id']).execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('invited_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('accepted_at', 'bigint')
    .execute();
  await db.schema.createIndex('invites_token').on('invites').column('token_hash').unique().execute();
  await db.schema.createIndex('invites_tenant').on('invites').columns(['tenant_id', 'created_at']).execute();

  await db.schema
    .createTable('waitlist')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('waitlist_email').on('waitlist').column('email').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['waitlist', 'invites', 'call_log', 'rate_limit_windows', 'device_challenges', 'devices', 'refresh_tokens']) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.alterTable('credentials').dropColumn('user_id').execute();
  await db.schema.alterTable('credentials').dropColumn('rate_limit_per_minute').execute();
  await db.schema.alterTable('tenants').dropColumn('rate_limit_per_minute').execute();
  await db.schema.dropTable('users').execute();
  await db.schema.dropTable('roles').execute();
  await db.schema.dropTable('server_settings').execute();
}
