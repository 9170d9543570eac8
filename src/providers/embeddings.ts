// Text → vectors for search: the Embedder interface and its OpenAI-compatible `/v1/embeddings` client
// (OpenAI itself, or any local embedding server), with batching, timeouts, retries and catalogue errors.
import { z } from 'zod';
import { type Clock, systemClock } from '../platform/clock.js';
import type { EmbeddingsConfig } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';
import { isTimeout, networkCause, parseJson, retryAfterMs, upstreamMessage } from './http.js';

export interface EmbedOptions {
  /** Per request; the configured ENGRAM_EMBEDDINGS_TIMEOUT_MS when absent. */
  timeoutMs?: number;
  /** The configured ENGRAM_EMBEDDINGS_MAX_RETRIES when absent; 0 for one attempt. */
  maxRetries?: number;
  /** Stops the work between requests and aborts the one in flight (a job losing its lease). */
  signal?: AbortSignal;
}

export interface Embedder {
  /** The model id every vector it makes is recorded under. */
  readonly model: string;
  /** One vector per text, in order; texts are sent in batches of ENGRAM_EMBEDDINGS_BATCH. */
  embed(texts: string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

export interface EmbedderOptions {
  logger?: Logger;
  /** Waits between attempts; tests pass one that records the delay and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Reads HTTP-date Retry-After values. */
  clock?: Clock;
}

/** How errors name the provider; the catalogue messages read "Embeddings failed: …". */
const PROVIDER = 'Embeddings';
const PATH = '/v1/embeddings';
/** A Retry-After longer than this is not waited out: the caller gets upstream_rate_limited at once. */
const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;

/** The configured embedder, or null when ENGRAM_EMBEDDINGS is none (search is lexical only). */
export function createEmbedder(config: EmbeddingsConfig | undefined, options: EmbedderOptions = {}): Embedder | null {
  return config ? new OpenAiEmbedder(config, options) : null;
}

const embeddingsResponse = z.object({
  data: z.array(z.object({ index: z.number().int().min(0), embedding: z.array(z.number()) })),
});

type Attempt = { ok: true; vectors: Float32Array[] } | { ok: false; error: AppError; retryInMs: number | undefined; status?: number };

class OpenAiEmbedder implements Embedder {
  readonly model: string;
  /** The URL requested and shown in errors: credentials taken out (fetch refuses them in a URL and would echo them). */
  private readonly endpoint: string;
  private readonly headers: Record<string, string>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: Clock;

  constructor(
    private readonly config: EmbeddingsConfig,
    private readonly options: EmbedderOptions,
  ) {
    this.model = config.model;
    const url = new URL(`${config.baseUrl}${PATH}`);
    // Local servers often take no key; a base URL with user:password (a proxy) becomes Basic auth.
    const basic = url.username ? Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64') : undefined;
    url.username = '';
    url.password = '';
    this.endpoint = url.toString();
    this.headers = {
      'content-type': 'application/json',
      ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : basic ? { authorization: `Basic ${basic}` } : {}),
    };
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.clock = options.clock ?? systemClock;
  }

  async embed(texts: string[], options: EmbedOptions = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.config.batchSize) {
      options.signal?.throwIfAborted();
      out.push(...(await this.embedBatch(texts.slice(i, i + this.config.batchSize), options)));
    }
    return out;
  }

  private async embedBatch(texts: string[], options: EmbedOptions): Promise<Float32Array[]> {
    const maxRetries = options.maxRetries ?? this.config.maxRetries;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(texts, attempt, options);
      if (outcome.ok) return outcome.vectors;
      if (outcome.retryInMs === undefined || attempt >= maxRetries || options.signal?.aborted) throw outcome.error;
      this.options.logger?.warn(
        { model: this.model, url: this.shownUrl(), attempt: attempt + 1, status: outcome.status, reason: outcome.error.message, retryInMs: outcome.retryInMs },
        'embeddings call failed; retrying',
      );
      await this.sleep(outcome.retryInMs);
    }
  }

  private async attempt(texts: string[], attempt: number, options: EmbedOptions): Promise<Attempt> {
    const backoff = Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
    const timeoutMs = options.timeoutMs ?? this.config.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const where = `from ${this.shownUrl()}`;
    let response: Response;
    let raw: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: this.headers,
        body: JSON.stringify({ model: this.model, input: texts }),
        signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout,
      });
      raw = await response.text();
    } catch (err) {
      const reason = timeout.aborted ? `no answer ${where} within ${timeoutMs} ms` : isTimeout(err) ? `request to ${this.shownUrl()} aborted` : `network error reaching ${this.shownUrl()} (${networkCause(err)})`;
      return { ok: false, error: this.failed(reason, undefined, err), retryInMs: backoff };
    }
    const status = response.status;
    if (response.ok) {
      const vectors = readVectors(parseJson(raw), texts.length);
      if (typeof vectors !== 'string') return { ok: true, vectors };
      return { ok: false, error: this.failed(`unexpected response ${where}: ${vectors}`, status), retryInMs: undefined, status };
    }
    if (status === 429) {
      const wait = retryAfterMs(response.headers, this.clock.now());
      const details = { provider: PROVIDER, url: this.shownUrl(), status, ...(wait !== undefined ? { retryAfterSeconds: Math.ceil(wait / 1000) } : {}) };
      const retryInMs = wait === undefined ? backoff : wait <= MAX_RETRY_AFTER_MS ? wait : undefined;
      return { ok: false, error: new AppError('upstream_rate_limited', details), retryInMs, status };
    }
    if (status === 401 || status === 403) {
      // The upstream message is not passed on: OpenAI's 401 echoes part of the key.
      const details = { provider: PROVIDER, reason: `invalid key (HTTP ${status} ${where})`, url: this.shownUrl(), status };
      return { ok: false, error: new AppError('provider_not_configured', details), retryInMs: undefined, status };
    }
    const reason = `HTTP ${status} ${where}${upstreamMessage(raw, this.config.apiKey)}`;
    const retryable = status >= 500 || status === 408;
    return { ok: false, error: this.failed(reason, status), retryInMs: retryable ? backoff : undefined, status };
  }

  private failed(reason: string, status: number | undefined, cause?: unknown): AppError {
    const details = { provider: PROVIDER, reason, url: this.shownUrl(), ...(status !== undefined ? { status } : {}) };
    return new AppError('upstream_failed', details, cause === undefined ? undefined : { cause });
  }

  /** The endpoint as errors and logs show it: no query string either (some servers take a key there). */
  private shownUrl(): string {
    return this.endpoint.replace(/\?.*$/, '');
  }
}

/** The vectors in input order, or why the answer cannot be used. */
function readVectors(body: unknown, expected: number): Float32Array[] | string {
  const parsed = embeddingsResponse.safeParse(body);
  if (!parsed.success) return 'no data[].embedding';
  const vectors: Float32Array[] = new Array(expected);
  for (const item of parsed.data.data) {
    if (item.index < expected) vectors[item.index] = Float32Array.from(item.embedding);
  }
  for (let i = 0; i < expected; i++) if (!vectors[i]) return `${parsed.data.data.length} embeddings for ${expected} inputs`;
  const dims = vectors[0]?.length ?? 0;
  if (dims === 0 || vectors.some((v) => v.length !== dims)) return 'embeddings of different or zero lengths';
  return vectors;
}
