// Calls to the platform face (/api/*, ApiEnvelope) through app.inject, for its HTTP tests.
import type { App } from '../app.js';

export interface Envelope<T = any> {
  ok: boolean;
  requestId: string;
  data: T;
  count: number | null;
  error: string | null;
  errorCode: string | null;
  hint: string | null;
}

export interface Answer<T = any> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: Envelope<T>;
  raw: string;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** Sent as `Authorization: ApiKey <key>`. */
  apiKey?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The caller's address, so per-IP limits of one test do not spill into another. */
  ip?: string;
}

export async function call<T = any>(app: App, method: string, url: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.apiKey !== undefined) headers.authorization = `ApiKey ${options.apiKey}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.http.inject({
    method: method as 'GET',
    url,
    headers,
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    ...(options.ip !== undefined ? { remoteAddress: options.ip } : {}),
  });
  return { status: res.statusCode, headers: res.headers, body: res.json() as Envelope<T>, raw: res.body };
}

let addresses = 0;

/** A caller address no other test in this process has used. */
export function freshIp(): string {
  addresses += 1;
  return `10.${(addresses >> 16) & 255}.${(addresses >> 8) & 255}.${addresses & 255}`;
}
