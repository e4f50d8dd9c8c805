import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics through prom-client. Each app instance owns its registry (tests build several apps
 * in one process); every series the contract names exists from start-up, at 0.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly loginFailures = new Counter({
    name: 'auth_login_failures_total',
    help: 'Failed login attempts (unknown email or wrong password)',
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'rate_limited_requests_total',
    // No labels, so the series exists at 0 from start-up; per route, see http_requests_total{status_code="429"}.
    help: 'Requests refused with 429 by the rate limiter',
    registers: [this.registry],
  });

  readonly llmRequests = new Counter({
    name: 'llm_requests_total',
    // Its outcomes are the mission builder's (LLM_OUTCOMES); the builder starts each series at 0.
    help: 'LLM calls by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly llmTokens = new Counter({
    name: 'llm_tokens_total',
    help: 'LLM tokens used, by kind (prompt or completion)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly jobs = new Counter({
    name: 'jobs_total',
    // The job queue starts the series of a job name at 0 when its handler is registered.
    help: 'Job runs by job name and outcome (completed, retried, failed, deferred)',
    labelNames: ['name', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly jobLag = new Histogram({
    name: 'job_queue_lag_seconds',
    help: 'Time from when a job was due until a worker took it, by job name',
    labelNames: ['name'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
    registers: [this.registry],
  });

  readonly jobsRunning = new Gauge({
    name: 'jobs_running',
    help: 'Jobs running in this process, by job name',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.loginFailures.inc(0);
    this.rateLimited.inc(0);
    for (const kind of ['prompt', 'completion']) {
      this.llmTokens.inc({ kind }, 0);
    }
  }

  observeRequest(method: string, route: string, statusCode: number, seconds: number): void {
    const labels = { method, route, status_code: String(statusCode) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
    if (statusCode === 429) {
      this.rateLimited.inc();
    }
  }
}
