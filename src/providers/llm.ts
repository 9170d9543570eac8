// The LLM client every capability shares: one `complete` over the Anthropic Messages API or OpenAI-compatible chat completions, with timeouts, retries and catalogue errors.
import { z } from 'zod';
import { type Clock, systemClock } from '../platform/clock.js';
import type { LlmConfig, LlmProvider } from '../platform/config.js';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/log.js';
import { isTimeout, networkCause, parseJson, retryAfterMs, upstreamMessage } from './http.js';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface CompletionRequest {
  system: string;
  messages: LlmMessage[];
  maxTokens: number;
  temperature?: number;
  /** Ask for one JSON object (OpenAI: response_format json_object; Anthropic: an instruction). Callers still validate. */
  json?: boolean;
}

export interface Completion {
  text: string;
  /** The model that answered, as the provider reports it. */
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  /** Wall time of the whole call, retries and waits included. */
  latencyMs: number;
}

export interface LlmClient {
  readonly provider: LlmProvider;
  readonly model: string;
  complete(request: CompletionRequest): Promise<Completion>;
}

export interface LlmClientOptions {
  logger?: Logger;
  /** Waits between attempts; tests pass one that records the delay and returns at once. */
  sleep?: (ms: number) => Promise<void>;
  /** Reads HTTP-date Retry-After values. */
  clock?: Clock;
}

/** How errors name the provider; the catalogue messages read "LLM failed: …". */
const PROVIDER = 'LLM';
/** A Retry-After longer than this is not waited out: the caller gets upstream_rate_limited at once. */
const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_BASE_MS = 500;
const BACKOFF_MAX_MS = 8_000;
const JSON_INSTRUCTION = 'Answer with one JSON object and nothing else: no prose, no code fences.';

/** The shared client, or undefined when ENGRAM_LLM_PROVIDER is unset (see requireLlm). */
export function createLlmClient(config: LlmConfig | undefined, options: LlmClientOptions = {}): LlmClient | undefined {
  return config ? new HttpLlmClient(config, options) : undefined;
}

/** For routes that cannot work without a model: 503 provider_not_configured when there is none. */
export function requireLlm(client: LlmClient | undefined): LlmClient {
  if (!client) throw new AppError('provider_not_configured', { provider: PROVIDER });
  return client;
}

interface Answer {
  text: string;
  model: string | undefined;
  inputTokens: number;
  outputTokens: number;
}

/** What differs between the two wire protocols. */
interface WireProtocol {
  path: string;
  headers(apiKey: string | undefined): Record<string, string>;
  body(model: string, request: CompletionRequest): unknown;
  parse(body: unknown): Answer | undefined;
}

const anthropicResponse = z.object({
  model: z.string().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).partial().optional(),
});

const anthropic: WireProtocol = {
  path: '/v1/messages',
  headers: (apiKey) => ({ 'x-api-key': apiKey ?? '', 'anthropic-version': '2023-06-01' }),
  body: (model, r) => {
    const system = r.json ? [r.system, JSON_INSTRUCTION].filter(Boolean).join('\n\n') : r.system;
    return {
      model,
      max_tokens: r.maxTokens,
      ...(system ? { system } : {}),
      messages: r.messages,
      ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
    };
  },
  parse: (body) => {
    const parsed = anthropicResponse.safeParse(body);
    if (!parsed.success) return undefined;
    const { model, content, usage } = parsed.data;
    return {
      text: content.map((block) => (block.type === 'text' ? (block.text ?? '') : '')).join(''),
      model,
      inputTokens: usage?.input_tokens ?? 0,
      outputTokens: usage?.output_tokens ?? 0,
    };
  },
};

const openaiResponse = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })).min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).partial().nullish(),
});

const openai: WireProtocol = {
  path: '/v1/chat/completions',
  // Local OpenAI-compatible servers often take no key; send the header only when there is one.
  headers: (apiKey): Record<string, string> => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  body: (model, r) => {
    // OpenAI refuses json_object unless the messages mention JSON; the instruction covers that.
    const system = r.json ? [r.system, JSON_INSTRUCTION].filter(Boolean).join('\n\n') : r.system;
    return {
      model,
      messages: [...(system ? [{ role: 'system', content: system }] : []), ...r.messages],
      // max_tokens rather than max_completion_tokens: every OpenAI-compatible server understands it.
      max_tokens: r.maxTokens,
      ...(r.temperature !== undefined ? { temperature: r.temperature } : {}),
      ...(r.json ? { response_format: { type: 'json_object' } } : {}),
    };
  },
  parse: (body) => {
    const parsed = openaiResponse.safeParse(body);
    if (!parsed.success) return undefined;
    const { model, choices, usage } = parsed.data;
    return {
      text: choices[0]!.message.content ?? '',
      model,
      inputTokens: usage?.prompt_tokens ?? 0,
      outputTokens: usage?.completion_tokens ?? 0,
    };
  },
};

const protocols: Record<LlmProvider, WireProtocol> = { anthropic, openai };

/** One attempt's outcome: an answer, or an error with the wait before the next attempt (none: do not retry). */
type Attempt = { ok: true; answer: Answer } | { ok: false; error: AppError; retryInMs: number | undefined; status?: number };

class HttpLlmClient implements LlmClient {
  readonly provider: LlmProvider;
  readonly model: string;
  private readonly protocol: WireProtocol;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly clock: Clock;

  constructor(
    private readonly config: LlmConfig,
    private readonly options: LlmClientOptions,
  ) {
    this.provider = config.provider;
    this.model = config.model;
    this.protocol = protocols[config.provider];
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.clock = options.clock ?? systemClock;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const started = performance.now();
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(request, attempt);
      if (outcome.ok) {
        const { text, model, inputTokens, outputTokens } = outcome.answer;
        return { text, model: model ?? this.model, usage: { inputTokens, outputTokens }, latencyMs: Math.round(performance.now() - started) };
      }
      if (outcome.retryInMs === undefined || attempt >= this.config.maxRetries) throw outcome.error;
      this.options.logger?.warn(
        { provider: this.provider, model: this.model, attempt: attempt + 1, status: outcome.status, reason: outcome.error.message, retryInMs: outcome.retryInMs },
        'LLM call failed; retrying',
      );
      await this.sleep(outcome.retryInMs);
    }
  }

  private async attempt(request: CompletionRequest, attempt: number): Promise<Attempt> {
    const backoff = Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_MAX_MS);
    let response: Response;
    let raw: string;
    try {
      response = await fetch(`${this.config.baseUrl}${this.protocol.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.protocol.headers(this.config.apiKey) },
        body: JSON.stringify(this.protocol.body(this.config.model, request)),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      raw = await response.text();
    } catch (err) {
      const reason = isTimeout(err) ? `no answer within ${this.config.timeoutMs} ms` : `network error (${networkCause(err)})`;
      return { ok: false, error: new AppError('upstream_failed', { provider: PROVIDER, reason }, { cause: err }), retryInMs: backoff };
    }
    const status = response.status;
    if (response.ok) {
      const answer = this.protocol.parse(parseJson(raw));
      if (answer) return { ok: true, answer };
      return { ok: false, error: new AppError('upstream_failed', { provider: PROVIDER, reason: 'unexpected response shape' }), retryInMs: undefined, status };
    }
    if (status === 429) {
      const wait = retryAfterMs(response.headers, this.clock.now());
      const details = { provider: PROVIDER, ...(wait !== undefined ? { retryAfterSeconds: Math.ceil(wait / 1000) } : {}) };
      const retryInMs = wait === undefined ? backoff : wait <= MAX_RETRY_AFTER_MS ? wait : undefined;
      return { ok: false, error: new AppError('upstream_rate_limited', details), retryInMs, status };
    }
    if (status === 401 || status === 403) {
      // The upstream message is not passed on: OpenAI's 401 echoes part of the key.
      return { ok: false, error: new AppError('provider_not_configured', { provider: PROVIDER, reason: 'invalid key', status }), retryInMs: undefined, status };
    }
    const reason = `HTTP ${status}${upstreamMessage(raw, this.config.apiKey)}`;
    const retryable = status >= 500 || status === 408;
    return { ok: false, error: new AppError('upstream_failed', { provider: PROVIDER, reason, status }), retryInMs: retryable ? backoff : undefined, status };
  }
}
