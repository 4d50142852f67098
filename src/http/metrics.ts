import { createHash, timingSafeEqual } from 'node:crypto';
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import { whyNotLocal } from '../domain/loopback.js';
import type { Logger } from '../logger.js';

/**
 * Prometheus metrics in the text format, without a client library: HTTP request counts and a
 * latency histogram recorded here, and register gauges (job runs, outbox backlog, open requests by
 * days to deadline) read from the database at scrape time by `collect`.
 */
const BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];
const KNOWN_ROUTES = new Set(['/slack/events', '/api/messages', '/healthz', '/readyz', '/metrics']);

interface Histogram { buckets: number[]; count: number; sum: number }

export interface MetricSample { name: string; help: string; type: 'gauge' | 'counter'; values: { labels: Record<string, string>; value: number }[] }

export class HttpMetrics {
  private readonly counts = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();

  middleware() {
    return (req: Request, res: Response, next: NextFunction) => {
      const started = process.hrtime.bigint();
      res.on('finish', () => {
        const route = KNOWN_ROUTES.has(req.path) ? req.path : 'other';
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        this.observe(route, req.method, res.statusCode, ms);
      });
      next();
    };
  }

  observe(route: string, method: string, status: number, ms: number): void {
    const countKey = `route="${route}",method="${method}",status="${status}"`;
    this.counts.set(countKey, (this.counts.get(countKey) ?? 0) + 1);
    const key = `route="${route}"`;
    const histogram = this.latency.get(key) ?? { buckets: BUCKETS_MS.map(() => 0), count: 0, sum: 0 };
    BUCKETS_MS.forEach((limit, i) => { if (ms <= limit) histogram.buckets[i]! += 1; });
    histogram.count += 1;
    histogram.sum += ms / 1000;
    this.latency.set(key, histogram);
  }

  render(samples: readonly MetricSample[]): string {
    const lines: string[] = [
      '# HELP govbot_http_requests_total HTTP requests answered, by route, method and status.',
      '# TYPE govbot_http_requests_total counter',
      ...[...this.counts].map(([labels, value]) => `govbot_http_requests_total{${labels}} ${value}`),
      '# HELP govbot_http_request_duration_seconds Time to answer an HTTP request (for Slack, its acknowledgement).',
      '# TYPE govbot_http_request_duration_seconds histogram',
    ];
    for (const [labels, h] of this.latency) {
      BUCKETS_MS.forEach((limit, i) => lines.push(`govbot_http_request_duration_seconds_bucket{${labels},le="${limit / 1000}"} ${h.buckets[i]}`));
      lines.push(`govbot_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`);
      lines.push(`govbot_http_request_duration_seconds_sum{${labels}} ${h.sum}`);
      lines.push(`govbot_http_request_duration_seconds_count{${labels}} ${h.count}`);
    }
    for (const sample of samples) {
      lines.push(`# HELP ${sample.name} ${sample.help}`, `# TYPE ${sample.name} ${sample.type}`);
      for (const { labels, value } of sample.values) {
        const text = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`).join(',');
        lines.push(`${sample.name}${text ? `{${text}}` : ''} ${value}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}

/**
 * Who may read /metrics. The figures (requests open, overdue, job failures) are the committee's
 * business, not the public's. With METRICS_TOKEN, the scraper sends it as a Bearer token; without
 * one, on the main listener only a caller on this machine, directly, not through a proxy (the same
 * rule as Teams local mode); on its own METRICS_PORT listener, whoever the operator lets reach it.
 */
export function metricsAccess(options: { token: string | null; localOnly: boolean; logger?: Logger | undefined }): RequestHandler {
  const expected = options.token ? createHash('sha256').update(`Bearer ${options.token}`).digest() : null;
  return (req, res, next) => {
    if (expected) {
      const given = createHash('sha256').update(req.headers.authorization ?? '').digest();
      if (timingSafeEqual(given, expected)) { next(); return; }
      res.status(401).set('WWW-Authenticate', 'Bearer').type('text/plain').send('metrics need the METRICS_TOKEN as a Bearer token\n');
      return;
    }
    const why = options.localOnly ? whyNotLocal({ remoteAddress: req.socket.remoteAddress, headers: req.headers }) : null;
    if (why) {
      options.logger?.warn(`refused /metrics: ${why}; set METRICS_TOKEN (or METRICS_PORT for a listener of their own) to let a scraper in`);
      res.status(403).type('text/plain').send('metrics are served to this machine only; the operator can set METRICS_TOKEN\n');
      return;
    }
    next();
  };
}

export function mountMetrics(app: Express, metrics: HttpMetrics, collect: () => Promise<MetricSample[]>, access: RequestHandler): void {
  app.get('/metrics', access, async (_req, res) => {
    let samples: MetricSample[] = [];
    try {
      samples = await collect();
    } catch {
      samples = [{ name: 'govbot_register_up', help: 'Whether the register answered the scrape.', type: 'gauge', values: [{ labels: {}, value: 0 }] }];
    }
    res.type('text/plain; version=0.0.4').send(metrics.render(samples));
  });
}
