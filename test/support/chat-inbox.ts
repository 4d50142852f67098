import type { Express } from 'express';
import type { Config } from '../../src/config.js';
import { createInboxRecorder, type InboxRecorder } from '../../src/inbox/recorder.js';
import { createInboxWorkers } from '../../src/inbox/workers.js';
import type { InboxWork } from '../../src/inbox/work.js';
import type { Logger } from '../../src/logger.js';
import type { ServiceContext } from '../../src/services/context.js';
import { slackInboxWorks } from '../../src/slack/inbox-works.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/slack/slack-app.js';
import { teamsInboxWorks } from '../../src/teams/inbox-works.js';
import { createTeamsAdapter, type TeamsAdapterHandle } from '../../src/teams/teams-app.js';

type AdapterOptions = { config: Config; services: ServiceContext; app: Express; logger: Logger };

/**
 * The chat adapters with their inbox worked through in the test's own thread (the service runs the
 * workers in its background thread; the recording, the work and the answers are the same code).
 */
function inProcessInbox(options: AdapterOptions, works: [string, InboxWork][]): { recorder: InboxRecorder; stop(): Promise<void> } {
  const workers = createInboxWorkers(options.services, new Map(works), options.logger);
  workers.start();
  return { recorder: createInboxRecorder(options.services.db, options.logger, () => workers.wake()), stop: () => workers.stop() };
}

export function slackAdapterWithInbox(options: AdapterOptions): SlackAdapter {
  const { botToken, apiUrl } = options.config.slack;
  const inbox = inProcessInbox(options, slackInboxWorks({ token: botToken ?? '', apiUrl, logger: options.logger }));
  const adapter = createSlackAdapter({ ...options, inbox: inbox.recorder });
  return {
    port: adapter.port,
    stop: async () => {
      await adapter.stop();
      await inbox.stop();
    },
  };
}

export function teamsAdapterWithInbox(options: AdapterOptions): TeamsAdapterHandle | null {
  const inbox = inProcessInbox(options, teamsInboxWorks({ config: options.config, logger: options.logger }));
  const adapter = createTeamsAdapter({ ...options, inbox: inbox.recorder });
  if (!adapter) void inbox.stop();
  return adapter && {
    port: adapter.port,
    stop: async () => {
      await adapter.stop();
      await inbox.stop();
    },
  };
}
