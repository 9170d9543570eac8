// Prometheus metrics: HTTP requests by route and status, queue depth by state, job durations, LLM fallbacks.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobStatus } from './db/schema.js';
import type { JobOutcome } from './worker.js';

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly jobDuration: Histogram<'kind' | 'outcome'>;
  private readonly llmExtractionFallbacks: Counter<'reason'>;

  constructor(queueDepth: () => Promise<Record<JobStatus, number>>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'engram_' });
    this.requests = new Counter({
      name: 'engram_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.requestDuration = new Histogram({
      name: 'engram_http_request_duration_seconds',
      help: 'HTTP request latency, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.jobDuration = new Histogram({
      name: 'engram_job_duration_seconds',
      help: 'Job run time in this process, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [this.registry],
    });
    this.llmExtractionFallbacks = new Counter({
      name: 'engram_llm_extraction_fallbacks_total',
      help: 'Extractions the LLM could not do, answered by the rule extractor instead, by reason',
      labelNames: ['reason'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'engram_queue_jobs',
      help: 'Jobs in the queue by state (all tenants, all processes)',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const counts = await queueDepth().catch(() => undefined);
        if (!counts) return;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.requestDuration.observe(labels, seconds);
  }

  observeJob = (kind: string, outcome: JobOutcome, ms: number): void => {
    this.jobDuration.observe({ kind, outcome }, ms / 1000);
  };

  countLlmExtractionFallback = (reason: string): void => {
    this.llmExtractionFallbacks.inc({ reason });
  };

  /**
   * Request latency percentiles since start, read from the histogram: each is the upper bound of the bucket
   * the percentile falls in (null before any request, or above the last bucket).
   */
  async requestLatency(): Promise<{ count: number; p50Ms: number | null; p95Ms: number | null; p99Ms: number | null }> {
    const byBound = new Map<number, number>();
    for (const v of (await this.requestDuration.get()).values) {
      if (v.metricName !== 'engram_http_request_duration_seconds_bucket') continue;
      const bound = (v.labels as Record<string, string | number>).le;
      const le = bound === '+Inf' ? Number.POSITIVE_INFINITY : Number(bound);
      byBound.set(le, (byBound.get(le) ?? 0) + v.value);
    }
    const buckets = [...byBound.entries()].sort((a, b) => a[0] - b[0]);
    const count = buckets.at(-1)?.[1] ?? 0;
    const at = (q: number): number | null => {
      if (count === 0) return null;
      const bound = buckets.find(([, cumulative]) => cumulative >= q * count)?.[0];
      return bound === undefined || !Number.isFinite(bound) ? null : bound * 1000;
    };
    return { count, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99) };
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
