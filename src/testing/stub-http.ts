// A real HTTP server on 127.0.0.1 that stands in for an external provider: it records each request and answers as the test says.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  body: unknown;
}

/** An answer, or 'hang': accept the request and never answer (for timeouts). */
export type StubReply = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang';

export class StubServer {
  readonly requests: StubRequest[] = [];
  private answer: (req: StubRequest, index: number) => StubReply = () => ({ status: 500, body: { error: { message: 'no reply set' } } });

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<StubServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const stub = new StubServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req, res) => stub.handle(req, res));
    return stub;
  }

  /** Sets how the next requests are answered; clears what was recorded. */
  respond(answer: (req: StubRequest, index: number) => StubReply): void {
    this.requests.length = 0;
    this.answer = answer;
  }

  /** Answers the requests in turn with these replies; the last one repeats. */
  replies(...replies: StubReply[]): void {
    this.respond((_, i) => replies[Math.min(i, replies.length - 1)]!);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        body = undefined;
      }
      const recorded: StubRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      this.requests.push(recorded);
      const reply = this.answer(recorded, this.requests.length - 1);
      if (reply === 'hang') return;
      const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(payload);
    });
  }
}
