import { App, ErrorCode, ExpressReceiver, HTTPModuleFunctions, type Authorize, type ReceiverProcessEventErrorHandlerArgs } from '@slack/bolt';
import type { Express } from 'express';
import type { ChatPort } from '../chat/port.js';
import type { Config } from '../config.js';
import { GovbotError } from '../errors.js';
import type { InboxRecorder } from '../inbox/recorder.js';
import type { Logger } from '../logger.js';
import type { ServiceContext } from '../services/context.js';
import { registerAppHome } from './app-home.js';
import { addFront } from '../http/front.js';
import { httpMetricsOf } from '../http/server.js';
import { slackHotRequests } from './hot-requests.js';
import { registerBlockActions } from './block-actions.js';
import { createHandlerDeps } from './handler-kit.js';
import { MAX_SLACK_BODY_BYTES, signatureDigest, slackRequestGuards } from './request-guards.js';
import { replayGuard } from './replay-guard.js';
import { registerSlashCommands } from './slash-commands.js';
import { slackLogger } from './slack-logger.js';
import { SLACK_TIMEOUT_MS, createSlackClient, createSlackPort, slackClientOptions, toDeliveryError } from './slack-port.js';
import { connectSocketMode } from './socket-mode.js';
import { registerViewSubmissions } from './view-submissions.js';
import { slackUserNames } from './user-names.js';
import { displayNames } from '../services/display-names.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackAdapter {
  /** For deliver-outbox: posts and updates committee cards. */
  readonly port: ChatPort;
  /** Closes Socket Mode and waits for handlers still working after their ack (the inbox's work is the background thread's). */
  stop(): Promise<void>;
}

/**
 * Bolt wired to the shared code. Over HTTP, Bolt's ExpressReceiver is mounted on the service's one
 * express app at /slack/events (it verifies Slack's v0 signature on the raw body and answers 401
 * otherwise); with SLACK_APP_TOKEN, Socket Mode instead. Call it before the server listens.
 *
 * Bolt gets an `authorize` function rather than `token`: with a bare token it calls auth.test in
 * its constructor, and an unreachable Slack then kills the process with an unhandled rejection.
 * auth.test runs once here, in the background, only to log who the bot is.
 *
 * Retries: Slack retries an event (X-Slack-Retry-Num) it thinks went unanswered. The only event is
 * app_home_opened, which just re-publishes the view. Slash commands, clicks and view submissions
 * are never retried by Slack; a click delivered twice counts once (unique vote key).
 */
export function createSlackAdapter(options: { config: Config; services: ServiceContext; app: Express; logger: Logger; inbox: InboxRecorder }): SlackAdapter {
  const { botToken: token, signingSecret, appToken, apiUrl } = options.config.slack;
  if (!token) throw new GovbotError('SLACK_NOT_CONFIGURED', 'Slack needs SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token); for example SLACK_BOT_TOKEN=xoxb-1234-5678-abcd');
  const logger = options.logger.child({ component: 'slack' });
  const client = createSlackClient({ token, apiUrl, logger });
  const identity: { botId?: string; botUserId?: string } = {};
  const probe = client.auth.test().then(
    (me) => {
      if (me.bot_id) identity.botId = me.bot_id;
      if (me.user_id) identity.botUserId = me.user_id;
      logger.info(`slack: signed in as @${me.user ?? '?'} in ${me.team ?? 'the workspace'}`);
    },
    (error: unknown) => {
      logger.warn(`slack: auth.test failed (${toDeliveryError('auth.test', error).message}); commands are still answered and cards wait in the outbox until Slack accepts them`);
    },
  );
  const authorize: Authorize<boolean> = async () => ({ botToken: token, ...identity });
  const boltLogger = slackLogger(logger);
  const clientOptions = slackClientOptions({ apiUrl, logger });

  let bolt: App;
  if (appToken) {
    // Socket Mode's own client must retry apps.connections.open, so it gets options without retries: 0.
    bolt = new App({ socketMode: true, appToken, authorize, logger: boltLogger, clientOptions, convoStore: false, installerOptions: { clientOptions: { slackApiUrl: apiUrl, timeout: SLACK_TIMEOUT_MS } } });
  } else {
    if (!signingSecret) throw new GovbotError('SLACK_NOT_CONFIGURED', 'Slack over HTTP needs SLACK_SIGNING_SECRET (Basic Information → Signing Secret); for example SLACK_SIGNING_SECRET=8f742231b10e8888abcd99yyyzzz85a5');
    options.app.use(SLACK_EVENTS_PATH, slackRequestGuards());
    // bodyLimit (Bolt 5.1): Bolt's own cap on the bytes it reads, the same as the guards' above.
    const receiver = new ExpressReceiver({ signingSecret, app: options.app, endpoints: SLACK_EVENTS_PATH, processBeforeResponse: false, logger: boltLogger, processEventErrorHandler: unreadablePayload, bodyLimit: MAX_SLACK_BODY_BYTES,
      customPropertiesExtractor: (req) => ({ slackSignature: signatureDigest(req.headers['x-slack-signature']) ?? '' }) });
    bolt = new App({ receiver, authorize, logger: boltLogger, clientOptions, convoStore: false });
  }

  const { deps, recordSigned, drain } = createHandlerDeps(options.services, logger, client, options.inbox);
  bolt.use(replayGuard(options.services.db, logger));
  const userNames = slackUserNames({ client, names: displayNames(options.services.db), logger });
  bolt.use(userNames.middleware);
  // Commands and recorded clicks are acknowledged ahead of express and Bolt's receiver (hot-requests.ts).
  if (!appToken && signingSecret) addFront(options.app, slackHotRequests({ path: SLACK_EVENTS_PATH, signingSecret, recordSigned, learn: userNames.learn, metrics: httpMetricsOf(options.app) }));
  registerSlashCommands(bolt, deps);
  registerBlockActions(bolt, deps);
  registerViewSubmissions(bolt, deps);
  registerAppHome(bolt, deps);
  bolt.error(async (error) => {
    // Handlers catch their own faults (handler-kit); this is Bolt's own trouble, e.g. a bad payload.
    logger.error({ code: error.code, message: error.message }, 'slack: Bolt could not process a request');
  });

  const socket = appToken ? connectSocketMode(bolt, logger) : null;
  return {
    port: createSlackPort({ token, apiUrl, logger, client }),
    stop: async () => {
      await socket?.stop();
      await drain();
      await userNames.drain();
      await probe;
    },
  };
}

/**
 * What Bolt throws out of processEvent, rather than passing to bolt.error, comes from reading the
 * payload (listener faults go to bolt.error): a signed request, yet not a shape Slack sends, such as
 * `payload=null` or `actions` that is not a list. That is the sender's mistake, a 400, where Bolt
 * would answer 500; an authorization failure keeps Bolt's own answer.
 */
async function unreadablePayload(args: ReceiverProcessEventErrorHandlerArgs): Promise<boolean> {
  const { error, response, logger } = args;
  if (response.headersSent || ('code' in error && error.code === ErrorCode.AuthorizationError)) {
    return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
  }
  logger.warn(`slack: answered 400 to a signed request Bolt could not read (${error.name}: ${error.message})`);
  response.writeHead(400);
  response.end();
  return false;
}
