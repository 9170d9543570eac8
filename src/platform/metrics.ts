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

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
