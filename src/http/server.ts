import http from 'node:http';
import express, { type Express } from 'express';
import { GovbotError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Db } from '../register/database.js';
import { frontThenApp } from './front.js';
import { HttpMetrics, metricsAccess, mountMetrics } from './metrics.js';
import { checkReadiness } from './readiness.js';
import { collectRegisterMetrics } from './register-metrics.js';
import { reportChartImage } from '../services/reports/chart-image.js';

export interface HttpServer {
  readonly app: Express;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The one express app everything is served on. Platform adapters add their routes to it before
 * `startHttpServer`; there is no global body parser, because Slack's signature check needs the
 * raw body.
 */
export interface HttpAppOptions {
  readonly timezone: string;
  readonly clock: () => Date;
  readonly logger?: Logger;
  /** METRICS_TOKEN: /metrics wants it as a Bearer token. */
  readonly metricsToken?: string | null;
  /** METRICS_PORT is set: /metrics is served on its own listener (`metricsApp`), not here. */
  readonly separateMetrics?: boolean;
}

export function createHttpApp(db: Db, options: HttpAppOptions = { timezone: 'Europe/London', clock: () => new Date() }): Express {
  const app = express();
  app.disable('x-powered-by');
  const metrics = new HttpMetrics();
  metricsOfApps.set(app, metrics);
  app.use(metrics.middleware());
  const collect = () => collectRegisterMetrics(db, options.timezone, options.clock);
  if (options.separateMetrics) {
    metricsApps.set(app, (target) => mountMetrics(target, metrics, collect, metricsAccess({ token: options.metricsToken ?? null, localOnly: false, logger: options.logger })));
  } else {
    mountMetrics(app, metrics, collect, metricsAccess({ token: options.metricsToken ?? null, localOnly: true, logger: options.logger }));
  }
  app.get('/healthz', (_req, res) => { res.json({ status: 'ok' }); });
  // A probe asks every few seconds: the log says when readiness changes, not at every probe.
  let wasReady = true;
  app.get('/readyz', async (_req, res) => {
    const readiness = await checkReadiness(db);
    if (readiness.ready !== wasReady) {
      if (readiness.ready) options.logger?.info('ready again');
      else options.logger?.warn(`not ready: ${readiness.detail}`);
      wasReady = readiness.ready;
    }
    // The reason's kind only: the driver's words can name hosts, users and the schema.
    res.status(readiness.ready ? 200 : 503).json(readiness.ready ? { status: 'ready' } : { status: 'unavailable', reason: readiness.reason });
  });
  // Report charts for Teams cards (Teams fetches card images itself): random token, expiring, counts only.
  app.get('/reports/charts/:file', async (req, res) => {
    const png = await reportChartImage(db, req.params.file, options.clock());
    if (!png) { res.status(404).type('text/plain').send('Not found'); return; }
    res.set({ 'Content-Type': 'image/png', 'Cache-Control': 'private, max-age=86400', 'X-Content-Type-Options': 'nosniff' }).send(png);
  });
  return app;
}

const metricsApps = new WeakMap<Express, (target: Express) => void>();
const metricsOfApps = new WeakMap<Express, HttpMetrics>();

/** The request counts and latency histogram of `app`, for a front (front.ts) to record what it answers itself. */
export function httpMetricsOf(app: Express): HttpMetrics | null {
  return metricsOfApps.get(app) ?? null;
}

/** The listener for METRICS_PORT: /metrics of `app`, and nothing else. */
export function metricsApp(app: Express): Express {
  const target = express();
  target.disable('x-powered-by');
  metricsApps.get(app)?.(target);
  return target;
}

export async function startHttpServer(options: { app: Express; host: string; port: number; logger: Logger }): Promise<HttpServer> {
  const { app } = options;
  const server = http.createServer(frontThenApp(app));
  // Keep-alive sockets would hold close() open for minutes; shut idle ones promptly.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port)));
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as import('node:net').AddressInfo).port;
  options.logger.info(`listening on http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`);
  return {
    app,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
      // In-flight requests get a grace period, then go.
      setTimeout(() => server.closeAllConnections(), 10_000).unref();
    }),
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): GovbotError {
  if (error.code === 'EADDRINUSE') {
    return new GovbotError('PORT_IN_USE', `port ${port} on ${host} is already in use (is govbot already running?): stop that process or choose another port, e.g. PORT=${port + 1}`);
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new GovbotError('HOST_UNAVAILABLE', `cannot listen on ${host}: no such address on this machine; for example HOST=127.0.0.1 or HOST=0.0.0.0`);
  }
  if (error.code === 'EACCES') {
    return new GovbotError('PORT_FORBIDDEN', `not allowed to listen on port ${port}: ports below 1024 need privileges; for example PORT=3978`);
  }
  return new GovbotError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error.message}`);
}
