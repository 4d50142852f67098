import express from 'express';
import knex from 'knex';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpApp, metricsApp, startHttpServer, type HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/logger.js';

/**
 * Security finding 10: /readyz gave the driver's words to anyone, and /metrics was public.
 */
const logger = createLogger({ logLevel: 'silent' });
const servers: HttpServer[] = [];
afterAll(async () => { for (const s of servers) await s.close(); });

async function serve(app: express.Express): Promise<string> {
  const server = await startHttpServer({ app, host: '127.0.0.1', port: 0, logger });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

describe('the public listener', () => {
  it('/readyz names only the kind of trouble, never the host, user or driver message', async () => {
    const db = knex({ client: 'pg', connection: 'postgres://govbot:secret-pw@127.0.0.1:1/registerdb', pool: { min: 0, max: 1 }, acquireConnectionTimeout: 1000 });
    try {
      const base = await serve(createHttpApp(db, { timezone: 'Europe/London', clock: () => new Date(), logger }));
      const response = await fetch(`${base}/readyz`);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ status: 'unavailable', reason: 'database unavailable' });
      expect(text).not.toMatch(/127\.0\.0\.1|govbot|registerdb|ECONNREFUSED/);
    } finally {
      await db.destroy();
    }
  });

  it('/metrics wants METRICS_TOKEN when it is set, and refuses a proxied caller without one', async () => {
    const db = knex({ client: 'pg', connection: 'postgres://x@127.0.0.1:1/x', pool: { min: 0, max: 1 } });
    try {
      const withToken = await serve(createHttpApp(db, { timezone: 'Europe/London', clock: () => new Date(), logger, metricsToken: 'scrape-token-0123456789' }));
      expect((await fetch(`${withToken}/metrics`)).status).toBe(401);
      expect((await fetch(`${withToken}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      const scraped = await fetch(`${withToken}/metrics`, { headers: { Authorization: 'Bearer scrape-token-0123456789' } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain('govbot_http_requests_total');

      const local = await serve(createHttpApp(db, { timezone: 'Europe/London', clock: () => new Date(), logger }));
      expect((await fetch(`${local}/metrics`)).status).toBe(200);
      expect((await fetch(`${local}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.5' } })).status).toBe(403);

      const main = createHttpApp(db, { timezone: 'Europe/London', clock: () => new Date(), logger, separateMetrics: true });
      const mainBase = await serve(main);
      expect((await fetch(`${mainBase}/metrics`)).status).toBe(404);
      const own = await serve(metricsApp(main));
      expect((await fetch(`${own}/metrics`, { headers: { 'X-Forwarded-For': '203.0.113.5' } })).status).toBe(200);
    } finally {
      await db.destroy();
    }
  });
});
