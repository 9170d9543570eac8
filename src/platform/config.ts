// Environment → typed configuration, validated once at start. Nothing else reads process.env.
import { resolve } from 'node:path';
import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const llmProviders = ['anthropic', 'openai'] as const;
export type LlmProvider = (typeof llmProviders)[number];

/** Public endpoints and default models; an OpenAI-compatible server elsewhere is one ENGRAM_LLM_BASE_URL away. */
const llmDefaults: Record<LlmProvider, { baseUrl: string; model: string }> = {
  anthropic: { baseUrl: 'https://api.anthropic.com', model: 'claude-haiku-4-5' },
  openai: { baseUrl: 'https://api.openai.com', model: 'gpt-4o-mini' },
};

/** The LLM every capability shares (src/providers/llm.ts); absent when ENGRAM_LLM_PROVIDER is unset. */
export interface LlmConfig {
  provider: LlmProvider;
  /** Without a trailing slash; the client appends /v1/messages or /v1/chat/completions. */
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

const embeddingProviders = ['none', 'openai'] as const;

/** Vectors for search (src/providers/embeddings.ts); absent when ENGRAM_EMBEDDINGS is none (the default). */
export interface EmbeddingsConfig {
  provider: 'openai';
  /** Without a trailing slash; the client appends /v1/embeddings. */
  baseUrl: string;
  apiKey: string | undefined;
  /** Recorded with every vector: a different model is a different vector space, re-embedded in the background. */
  model: string;
  /** Texts per request when embedding documents. */
  batchSize: number;
  /** Per request when embedding documents in the background. */
  timeoutMs: number;
  /** Embedding a search query: one attempt within this, or search answers lexically. */
  queryTimeoutMs: number;
  maxRetries: number;
  /** Decoded vectors kept in memory between searches. */
  cacheBytes: number;
}

/** Every variable Engram reads, with its default. README's configuration table mirrors this. */
const envSchema = z.object({
  ENGRAM_HOST: z.string().min(1).default('127.0.0.1'),
  ENGRAM_PORT: port.default(7420),
  ENGRAM_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL (leave unset for SQLite)')
    .optional(),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  ENGRAM_BODY_LIMIT: positiveInt.default(1_048_576),
  ENGRAM_WORKER_CONCURRENCY: positiveInt.max(64).default(2),
  ENGRAM_SERVE_WORKER: z.enum(['true', 'false']).default('true'),
  ENGRAM_JOB_LEASE_SECONDS: positiveInt.default(30),
  ENGRAM_SHUTDOWN_TIMEOUT_SECONDS: positiveInt.default(10),
  ENGRAM_ACCESS_TOKEN_TTL_SECONDS: positiveInt.default(900),
  ENGRAM_REFRESH_TOKEN_TTL_DAYS: positiveInt.default(30),
  ENGRAM_BELIEF_HALF_LIFE_DAYS: positiveInt.default(365),
  ENGRAM_CONTEXT_MAX_TOKENS: positiveInt.min(32).max(32_000).default(2000),
  ENGRAM_BOOTSTRAP_KEY: z.string().min(32, 'a secret of at least 32 characters').optional(),
  ENGRAM_LLM_PROVIDER: z.enum(llmProviders).optional(),
  ENGRAM_LLM_BASE_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL').optional(),
  ENGRAM_LLM_API_KEY: z.string().min(1).optional(),
  ENGRAM_LLM_MODEL: z.string().min(1).optional(),
  ENGRAM_LLM_TIMEOUT_MS: positiveInt.default(30_000),
  ENGRAM_LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  ENGRAM_EMBEDDINGS: z.enum(embeddingProviders).default('none'),
  ENGRAM_EMBEDDINGS_BASE_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL').default('https://api.openai.com'),
  ENGRAM_EMBEDDINGS_API_KEY: z.string().min(1).optional(),
  ENGRAM_EMBEDDINGS_MODEL: z.string().min(1).default('text-embedding-3-small'),
  ENGRAM_EMBEDDINGS_BATCH: positiveInt.max(2048).default(64),
  ENGRAM_EMBEDDINGS_TIMEOUT_MS: positiveInt.default(30_000),
  ENGRAM_EMBEDDINGS_QUERY_TIMEOUT_MS: positiveInt.default(2000),
  ENGRAM_EMBEDDINGS_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  ENGRAM_EMBEDDINGS_CACHE_MB: z.coerce.number().int().min(0).max(65_536).default(64),
  ENGRAM_VOICE_BASE_URL: z.string().regex(/^https?:\/\/[^\s]+$/, 'an http:// or https:// URL').default('https://api.elevenlabs.io'),
  ENGRAM_VOICE_API_KEY: z.string().min(1).optional(),
  ENGRAM_VOICE_DEFAULT_VOICE: z.string().min(1).default('21m00Tcm4TlvDq8ikWAM'),
  ENGRAM_VOICE_TIMEOUT_MS: positiveInt.default(30_000),
  ENGRAM_SECRET_KEY: z.string().min(32, 'a secret of at least 32 characters').optional(),
});

export type Config = {
  host: string;
  port: number;
  dataDir: string;
  database: { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };
  logLevel: (typeof logLevels)[number];
  bodyLimitBytes: number;
  /** `inServe`: whether `engram serve` also runs a worker (turn off when workers run as their own processes). */
  worker: { concurrency: number; leaseMs: number; inServe: boolean };
  shutdownTimeoutMs: number;
  sessions: { accessTtlMs: number; refreshTtlMs: number };
  memory: { beliefHalfLifeMs: number; contextMaxTokens: number };
  /** Self-model admin key created with the default tenant when the database has no tenant yet. */
  bootstrapKey: string | undefined;
  llm: LlmConfig | undefined;
  embeddings: EmbeddingsConfig | undefined;
  /** ElevenLabs-compatible text to speech; `apiKey` undefined → /api/voice/ answers 503. */
  voice: { baseUrl: string; apiKey: string | undefined; defaultVoice: string; timeoutMs: number };
  /** Seals source secrets at rest; undefined → a key generated once in the data dir (src/sources/secrets.ts). */
  secretKey: string | undefined;
};

/** Variables whose values never appear in messages. */
const secretVariables = new Set(['ENGRAM_BOOTSTRAP_KEY', 'DATABASE_URL', 'ENGRAM_LLM_API_KEY', 'ENGRAM_EMBEDDINGS_API_KEY', 'ENGRAM_VOICE_API_KEY', 'ENGRAM_SECRET_KEY']);

/** Thrown when the environment is invalid; its message is the one line the operator sees. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    const shown = secretVariables.has(name) ? '(hidden)' : JSON.stringify(env[name]);
    throw new ConfigError(`invalid configuration: ${name}=${shown} — expected ${describe(issue)}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.ENGRAM_DATA_DIR);
  return {
    host: e.ENGRAM_HOST,
    port: e.ENGRAM_PORT,
    dataDir,
    database: e.DATABASE_URL
      ? { engine: 'postgres', url: e.DATABASE_URL }
      : { engine: 'sqlite', file: resolve(dataDir, 'engram.db') },
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.ENGRAM_BODY_LIMIT,
    worker: { concurrency: e.ENGRAM_WORKER_CONCURRENCY, leaseMs: e.ENGRAM_JOB_LEASE_SECONDS * 1000, inServe: e.ENGRAM_SERVE_WORKER === 'true' },
    shutdownTimeoutMs: e.ENGRAM_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    sessions: { accessTtlMs: e.ENGRAM_ACCESS_TOKEN_TTL_SECONDS * 1000, refreshTtlMs: e.ENGRAM_REFRESH_TOKEN_TTL_DAYS * 86_400_000 },
    memory: { beliefHalfLifeMs: e.ENGRAM_BELIEF_HALF_LIFE_DAYS * 86_400_000, contextMaxTokens: e.ENGRAM_CONTEXT_MAX_TOKENS },
    bootstrapKey: e.ENGRAM_BOOTSTRAP_KEY,
    llm: llmConfig(e),
    embeddings: embeddingsConfig(e),
    voice: {
      baseUrl: e.ENGRAM_VOICE_BASE_URL.replace(/\/+$/, ''),
      apiKey: e.ENGRAM_VOICE_API_KEY,
      defaultVoice: e.ENGRAM_VOICE_DEFAULT_VOICE,
      timeoutMs: e.ENGRAM_VOICE_TIMEOUT_MS,
    },
    secretKey: e.ENGRAM_SECRET_KEY,
  };
}

function llmConfig(e: z.infer<typeof envSchema>): LlmConfig | undefined {
  const provider = e.ENGRAM_LLM_PROVIDER;
  if (!provider) return undefined;
  // Anthropic always needs a key; an OpenAI-compatible server on the local network may not.
  if (provider === 'anthropic' && !e.ENGRAM_LLM_API_KEY) {
    throw new ConfigError('invalid configuration: ENGRAM_LLM_API_KEY is required when ENGRAM_LLM_PROVIDER=anthropic');
  }
  return {
    provider,
    baseUrl: (e.ENGRAM_LLM_BASE_URL ?? llmDefaults[provider].baseUrl).replace(/\/+$/, ''),
    apiKey: e.ENGRAM_LLM_API_KEY,
    model: e.ENGRAM_LLM_MODEL ?? llmDefaults[provider].model,
    timeoutMs: e.ENGRAM_LLM_TIMEOUT_MS,
    maxRetries: e.ENGRAM_LLM_MAX_RETRIES,
  };
}

function embeddingsConfig(e: z.infer<typeof envSchema>): EmbeddingsConfig | undefined {
  if (e.ENGRAM_EMBEDDINGS === 'none') return undefined;
  return {
    provider: e.ENGRAM_EMBEDDINGS,
    baseUrl: e.ENGRAM_EMBEDDINGS_BASE_URL.replace(/\/+$/, ''),
    apiKey: e.ENGRAM_EMBEDDINGS_API_KEY,
    model: e.ENGRAM_EMBEDDINGS_MODEL,
    batchSize: e.ENGRAM_EMBEDDINGS_BATCH,
    timeoutMs: e.ENGRAM_EMBEDDINGS_TIMEOUT_MS,
    queryTimeoutMs: e.ENGRAM_EMBEDDINGS_QUERY_TIMEOUT_MS,
    maxRetries: e.ENGRAM_EMBEDDINGS_MAX_RETRIES,
    cacheBytes: e.ENGRAM_EMBEDDINGS_CACHE_MB * 1024 * 1024,
  };
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `one of ${issue.values.map((v) => String(v)).join(', ')}`;
    case 'invalid_type':
      return `a ${issue.expected}`;
    case 'too_small':
      return `a value of at least ${String(issue.minimum)}`;
    case 'too_big':
      return `a value of at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/** A database URL safe to print: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable url>';
  }
}
