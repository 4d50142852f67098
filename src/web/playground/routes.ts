import { createRequire } from 'node:module';
import express, { type Express, type RequestHandler } from 'express';
import { dateInTimeZone } from '../../domain/dates.js';
import type { Logger } from '../../logger.js';
import { committeeChannel } from '../../services/committee-channel.js';
import type { ServiceContext } from '../../services/context.js';
import { PLAYGROUND_ROSTER, seedPlaygroundRoster } from '../../services/playground-roster.js';
import { seedDemo } from '../../services/seed-demo.js';
import { isLoopbackHost, teamsMode } from '../../teams/teams-mode.js';
import type { Config } from '../../config.js';
import { createLoopbackConnector } from './loopback-connector.js';
import { PLAYGROUND_CHANNEL, playgroundPage } from './page.js';

export const PLAYGROUND_PATH = '/playground';

/** Only in Teams local mode: no MICROSOFT_APP_ID and a loopback HOST (CONTRACT section 3). */
export function playgroundOn(config: Pick<Config, 'host' | 'teams'>): boolean {
  return teamsMode(config).kind === 'local';
}
const CONNECTOR_PATH = `${PLAYGROUND_PATH}/connector`;
const DEMO_CONTACTS = 500;

/**
 * The local playground (CONTRACT section 3): a page in which a person on this machine acts as a
 * committee member or as staff, without a Teams tenant. It reaches govbot only the way Teams does:
 * the page POSTs activities to /api/messages, and govbot's answers go to the loopback connector
 * mounted here (the serviceUrl the page puts in its activities), which the page reads back.
 * Mount it only in Teams local mode; every route also refuses anyone but this machine.
 */
export function mountPlayground(app: Express, options: { services: ServiceContext; logger: Logger }): void {
  const { services } = options;
  const connector = createLoopbackConnector();
  const router = express.Router();
  router.use(thisMachineOnly);

  router.get('/', (_req, res) => {
    res.set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:" });
    res.send(playgroundPage());
  });
  router.get('/adaptivecards.js', (_req, res) => { res.sendFile(ADAPTIVE_CARDS_JS, { headers: { 'Cache-Control': 'max-age=3600' } }); });

  router.get('/state', async (req, res) => {
    await seedPlaygroundRoster(services);
    const serviceUrl = serviceUrlOf(req.headers.host ?? '');
    const channel = await committeeChannel(services.db, services.config, 'teams');
    const reference = channel?.conversation as { serviceUrl?: string } | undefined;
    res.json({
      roster: PLAYGROUND_ROSTER, serviceUrl, channelId: PLAYGROUND_CHANNEL,
      channelReady: channel?.channel === PLAYGROUND_CHANNEL && reference?.serviceUrl === serviceUrl,
    });
  });

  router.get('/feed', (req, res) => {
    const since = Math.max(0, Number.parseInt(String(req.query.since ?? '0'), 10) || 0);
    const calls = connector.calls.slice(since).map((call, i) => ({ seq: since + i, ...call, authorization: undefined }));
    res.set('Cache-Control', 'no-store').json({ next: connector.calls.length, calls });
  });

  router.post('/seed-demo', async (_req, res) => {
    const now = services.clock();
    const totals = await seedDemo(services.db, { count: DEMO_CONTACTS, today: dateInTimeZone(now, services.config.timezone), now });
    res.json({ message: `Demo register ready: ${totals.inserted} contact(s) added, ${totals.updated + totals.unchanged} already there, ${totals.processors} service providers.` });
  });

  router.all(/^\/connector\/(.*)$/, express.json({ limit: '1mb' }), (req, res) => {
    const answer = connector.handle({ method: req.method, path: req.path.slice('/connector'.length), body: (req.body ?? {}) as Record<string, unknown> });
    if (answer === null) return;
    res.status(answer.status).set(answer.headers ?? {}).json(answer.body);
  });

  app.use(PLAYGROUND_PATH, router);
  options.logger.debug({ path: PLAYGROUND_PATH, connector: CONNECTOR_PATH }, 'playground mounted');
}

const ADAPTIVE_CARDS_JS = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');

function serviceUrlOf(host: string): string {
  return `http://${host}${CONNECTOR_PATH}/`;
}

/**
 * Only a browser on this machine, talking to it directly: a loopback peer, a loopback Host, and no
 * proxy in between (a Forwarded header means someone else's request came through one). Anything
 * else is told nothing exists here.
 */
const thisMachineOnly: RequestHandler = (req, res, next) => {
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const proxied = Object.keys(req.headers).some((name) => name === 'forwarded' || name.startsWith('x-forwarded-'));
  if (!isLoopbackHost(req.socket.remoteAddress ?? '') || !isLoopbackHost(host) || proxied) {
    res.status(404).type('text/plain').send('Not found');
    return;
  }
  next();
};
