import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { ChatPort } from '../chat/port.js';
import type { Config } from '../config.js';
import type { InboxRecorder } from '../inbox/recorder.js';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';
import { botAuthOptions } from './bot-auth.js';
import { cardActionAnswer, isCardAction, onCardAction, onVoteSubmit } from './card-actions.js';
import { isTypedMessage, onCommandMessage, recordMessage } from './commands.js';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { addFront } from '../http/front.js';
import { httpMetricsOf } from '../http/server.js';
import { whyNotLocal } from '../domain/loopback.js';
import { whyNotLocalServiceUrl } from './local-guard.js';
import { whyNotOurTenant } from './tenant-guard.js';
import { teamsHotMessages } from './hot-messages.js';
import { connectorHttpClient } from './connector-http.js';
import { localCallerOnly, localServiceUrlOnly } from './local-guard.js';
import { ourTenantOnly } from './tenant-guard.js';
import { isTask, onTaskFetch, onTaskSubmit } from './dialogs.js';
import { VERBS } from './adaptive-card.js';
import { createTeamsPort } from './teams-port.js';
import { TEAMS_MESSAGES_PATH, teamsMode } from './teams-mode.js';
import { createTeamsDeps } from './turn-kit.js';
import { rememberActivityNames } from './activity-names.js';

export interface TeamsAdapterHandle {
  /** For deliver-outbox in this process (its worker threads build their own from the config). */
  readonly port: ChatPort;
  /** Waits for activities still being handled. Call after the HTTP server stopped taking requests. */
  stop(): Promise<void>;
}

/** Activities are a few kilobytes; a dialog submission with every field filled in, a few more. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;

/**
 * teams-ai wired to the shared code, on the service's one express app at /api/messages, with a
 * JSON body parser on that route only (Slack's signature check needs the raw body elsewhere).
 * Returns null when Teams is off: the route then answers 503 with the reason, and the rest of the
 * service runs. Call it before the server listens.
 */
export function createTeamsAdapter(options: { config: Config; services: ServiceContext; app: Express; logger: Logger; inbox: InboxRecorder; answering?: () => void }): TeamsAdapterHandle | null {
  const logger = options.logger.child({ component: 'teams' });
  const mode = teamsMode(options.config);
  if (mode.kind === 'off') {
    options.app.all(TEAMS_MESSAGES_PATH, (_req, res) => { res.status(503).json({ error: 'teams_off', reason: mode.reason }); });
    logger.warn(mode.reason);
    return null;
  }

  const appId = mode.kind === 'authenticated' ? mode.appId : '';
  const adapter = new TeamsAdapter(botAuthOptions(options.config), undefined, undefined, { httpClient: connectorHttpClient() });
  // No storage: govbot keeps nothing per conversation; the register is the only state.
  const bot = new QuietApplication({ adapter, botAppId: appId, startTypingTimer: false, removeRecipientMention: false, longRunningMessages: false });
  const deps = createTeamsDeps(options.services, logger, appId);

  bot.addRoute(isCardAction, (context) => onCardAction(context, deps), true);
  bot.taskModules.fetch(isTask('task/fetch'), (context, _state, data) => onTaskFetch(context, deps, data));
  bot.taskModules.submit(isTask('task/submit'), (context, _state, data) => onTaskSubmit(context, deps, data));
  bot.adaptiveCards.actionSubmit(VERBS.vote, (context, _state, data) => onVoteSubmit(context, deps, data));
  bot.message(isTypedMessage, (context) => onCommandMessage(context, deps, options.inbox));
  bot.error(async (_context, error) => {
    // Handlers catch their own faults; this is the SDK's trouble, e.g. an activity without ids.
    logger.error({ message: error instanceof Error ? error.message : String(error) }, 'teams: could not process an activity');
  });

  const inFlight = new Set<Promise<void>>();
  const tenantId = options.config.teams.tenantId;
  // Typed messages are recorded and answered, and card actions answered, ahead of express and the SDK's turn (hot-messages.ts),
  // after the same checks as the route below makes.
  const auth = (adapter as unknown as { botFrameworkAuthentication: BotFrameworkAuthentication }).botFrameworkAuthentication;
  addFront(options.app, teamsHotMessages({
    path: TEAMS_MESSAGES_PATH, maxBytes: MAX_ACTIVITY_BYTES,
    headersPass: (req) => (mode.kind === 'authenticated' ? BEARER.test(req.headers.authorization ?? '') : whyNotLocal({ remoteAddress: req.socket.remoteAddress, headers: req.headers }) === null),
    bodyPasses: (body) => (mode.kind === 'local' ? whyNotLocalServiceUrl((body as { serviceUrl?: unknown }).serviceUrl) === null : tenantId ? whyNotOurTenant(body, tenantId) === null : true),
    authenticate: (activity, authorization) => auth.authenticateRequest(activity, authorization),
    take: async (activity) => {
      await rememberActivityNames(deps, activity);
      return recordMessage(activity, options.inbox);
    },
    answerCardAction: async (activity) => {
      // Answered here, not recorded: background work is told to give way as it is for a recorded one.
      options.answering?.();
      await rememberActivityNames(deps, activity);
      return cardActionAnswer(activity, deps);
    },
    badBody: (res) => {
      res.writeHead(400, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(BAD_JSON));
    },
    metrics: httpMetricsOf(options.app), inFlight,
  }));
  const handle: RequestHandler = async (req, res) => {
    const run = adapter.process(req, res, async (context) => {
      await rememberActivityNames(deps, context.activity);
      await bot.run(context);
    });
    inFlight.add(run);
    try {
      await run;
    } finally {
      inFlight.delete(run);
    }
  };
  // Everything that can be decided from the headers is decided before the body is read.
  const beforeBody: RequestHandler[] = mode.kind === 'authenticated' ? [requireAuthorization] : [localCallerOnly(logger)];
  const afterBody: RequestHandler[] = mode.kind === 'local' ? [localServiceUrlOnly(logger)] : tenantId ? [ourTenantOnly(tenantId, logger)] : [];
  options.app.post(TEAMS_MESSAGES_PATH, ...beforeBody, express.json({ limit: MAX_ACTIVITY_BYTES }), ...afterBody, handle, badBody);

  return {
    port: createTeamsPort({ config: options.config, logger }) ?? unreachable(),
    stop: async () => { await Promise.allSettled([...inFlight]); },
  };
}

/**
 * teams-ai 1.7.4's run() starts its typing timer whatever `startTypingTimer` says, so a turn
 * longer than a second sent "typing" into the channel, every second, while the answer went to
 * the person's own chat: the channel showed govbot typing and nothing came. govbot never types.
 */
class QuietApplication extends Application {
  override startTypingTimer(): void {}
}

/**
 * A request without anything shaped like a JWT is refused before the SDK sees it: the SDK would
 * refuse it too, after writing a stack trace to stderr, once for every scanner that finds the URL.
 */
const BEARER = /^Bearer\s+[\w-]+\.[\w-]+\.[\w-]+$/i;
const requireAuthorization: RequestHandler = (req, res, next) => {
  if (!BEARER.test(req.headers.authorization ?? '')) {
    res.status(401).json({ error: 'unauthorized', reason: 'Bot Framework activities must carry a Bearer token' });
    return;
  }
  next();
};

/** A body that is not JSON, or too big: a short answer rather than express's page with a stack trace. */
const badBody: ErrorRequestHandler = (error: { status?: number; type?: string }, _req, res, _next) => {
  const status = error.status === 413 ? 413 : 400;
  res.status(status).json(status === 413 ? { error: 'bad_request', reason: `an activity is at most ${MAX_ACTIVITY_BYTES} bytes` } : BAD_JSON);
};
const BAD_JSON = { error: 'bad_request', reason: 'the body must be a JSON Bot Framework activity' };

function unreachable(): never {
  throw new Error('teams port missing although Teams is on');
}
