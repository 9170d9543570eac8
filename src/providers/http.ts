// What every provider client reads the same way from an upstream HTTP answer: its JSON, its error
// message (with the key scrubbed), Retry-After, and why a fetch failed.

export function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** OpenAI-style and Anthropic errors come as {error: {message}}; anything else is shown as a short excerpt, the key scrubbed. */
export function upstreamMessage(raw: string, apiKey: string | undefined): string {
  const body = parseJson(raw) as { error?: { message?: unknown } } | undefined;
  const message = typeof body?.error?.message === 'string' ? body.error.message : raw;
  const scrubbed = (apiKey ? message.split(apiKey).join('***') : message).replace(/\s+/g, ' ').trim().slice(0, 200);
  return scrubbed ? `: ${scrubbed}` : '';
}

/** Retry-After as milliseconds: OpenAI's retry-after-ms, else seconds or an HTTP date. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const ms = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

export function networkCause(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return err instanceof Error ? err.message : String(err);
}
