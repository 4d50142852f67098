import type { Express } from 'express';
import type { Config } from '../../src/config.js';
import { createInboxRecorder } from '../../src/inbox/recorder.js';
import { createInboxWorkers } from '../../src/inbox/workers.js';
import type { Logger } from '../../src/logger.js';
import type { ServiceContext } from '../../src/services/context.js';
import { slackInboxWorks } from '../../src/slack/inbox-works.js';
import { createSlackAdapter, type SlackAdapter } from '../../src/slack/slack-app.js';

/**
 * The Slack adapter with its inbox worked through in the test's own thread (the service runs the
 * workers in its background thread; the recording, the work and the answers are the same code).
 */
export function slackAdapterWithInbox(options: { config: Config; services: ServiceContext; app: Express; logger: Logger }): SlackAdapter {
  const { botToken, apiUrl } = options.config.slack;
  const workers = createInboxWorkers(options.services, new Map(slackInboxWorks({ token: botToken ?? '', apiUrl, logger: options.logger })), options.logger);
  workers.start();
  const adapter = createSlackAdapter({ ...options, inbox: createInboxRecorder(options.services.db, options.logger, () => workers.wake()) });
  return {
    port: adapter.port,
    stop: async () => {
      await adapter.stop();
      await workers.stop();
    },
  };
}
