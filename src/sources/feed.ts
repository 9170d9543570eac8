// Reading a feed: fetch with a time and size bound, then parse JSON (JSON Feed, or an array / {items})
// or RSS 2.0 / Atom into items. Anything else is a FeedError with a reason the source shows.
import { contentHash } from '../platform/content-hash.js';

export const feedTimeoutMs = 10_000;
export const feedMaxBytes = 5 * 1024 * 1024;
export const feedMaxItems = 1000;

export class FeedError extends Error {
  override name = 'FeedError';
}

export interface FeedItem {
  /** Stable per item: the feed's id/guid, else its link, else a hash of its content. */
  key: string;
  title: string | null;
  text: string;
  url: string | null;
  publishedAt: number | null;
}

export async function fetchFeed(url: string, headers: Record<string, string>, limits = { timeoutMs: feedTimeoutMs, maxBytes: feedMaxBytes }): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/feed+json, application/json, application/rss+xml, application/atom+xml, text/xml', ...headers }, signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (err) {
    throw new FeedError((err as Error).name === 'TimeoutError' ? `no answer within ${limits.timeoutMs} ms` : `could not connect (${(err as Error).message})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FeedError(`the feed answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > limits.maxBytes) {
    await response.body?.cancel();
    throw new FeedError(`the feed is larger than ${limits.maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > limits.maxBytes) throw new FeedError(`the feed is larger than ${limits.maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseFeed(raw: string): FeedItem[] {
  const text = raw.trim();
  const items = text.startsWith('{') || text.startsWith('[') ? parseJsonFeed(text) : /<(rss|feed|rdf:RDF)[\s>]/.test(text) ? parseXmlFeed(text) : undefined;
  if (!items) throw new FeedError('not a JSON, RSS or Atom feed');
  return items.slice(0, feedMaxItems);
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function parseJsonFeed(text: string): FeedItem[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new FeedError('the feed is not valid JSON');
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' ? (doc as { items?: unknown }).items : undefined;
  if (!Array.isArray(list)) throw new FeedError('a JSON feed needs an items array');
  return list.flatMap((entry): FeedItem[] => {
    if (!entry || typeof entry !== 'object') return [];
    const e = entry as Record<string, unknown>;
    const title = str(e.title);
    const body = str(e.content_text) ?? str(e.text) ?? str(e.summary) ?? stripTags(str(e.content_html) ?? str(e.content) ?? '');
    const url = str(e.url) ?? str(e.link);
    return toItem(str(e.id) ?? (typeof e.id === 'number' ? String(e.id) : null), title, body, url, str(e.date_published) ?? str(e.published_at) ?? str(e.date));
  });
}

function parseXmlFeed(text: string): FeedItem[] {
  const blocks = [...text.matchAll(/<(item|entry)[\s>][\s\S]*?<\/\1>/g)].map((m) => m[0]);
  return blocks.flatMap((block) => {
    const title = tag(block, 'title');
    const body = tag(block, 'content:encoded') ?? tag(block, 'description') ?? tag(block, 'content') ?? tag(block, 'summary') ?? '';
    const url = tag(block, 'link') ?? /<link[^>]*href="([^"]+)"/.exec(block)?.[1] ?? null;
    return toItem(tag(block, 'guid') ?? tag(block, 'id'), title, stripTags(body), url, tag(block, 'pubDate') ?? tag(block, 'published') ?? tag(block, 'updated'));
  });
}

function toItem(id: string | null, title: string | null, body: string, url: string | null, date: string | null): FeedItem[] {
  const text = [title, body].filter(Boolean).join('\n').trim();
  if (!text) return [];
  const parsed = date ? Date.parse(date) : Number.NaN;
  return [{ key: id ?? url ?? contentHash({ title, body }), title, text: body || (title ?? ''), url, publishedAt: Number.isFinite(parsed) ? parsed : null }];
}

function tag(block: string, name: string): string | null {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(block);
  if (!m) return null;
  const inner = m[1]!.replace(/^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/, '$1');
  return str(decodeEntities(inner));
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

function stripTags(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}
