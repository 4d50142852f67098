import type { InboxWork } from '../inbox/work.js';
import type { Logger } from '../logger.js';
import { clickWorks } from './block-actions.js';
import { createSlackClient } from './slack-port.js';
import { commandWorks } from './slash-commands.js';
import { formWorks } from './view-submissions.js';

/**
 * What the inbox does with recorded Slack work (commands, clicks, forms), built where the inbox
 * workers run (the background thread) with a Web API client of its own: nothing here needs Bolt.
 */
export function slackInboxWorks(options: { token: string; apiUrl: string; logger: Logger }): [string, InboxWork][] {
  const logger = options.logger.child({ component: 'slack' });
  const client = createSlackClient({ token: options.token, apiUrl: options.apiUrl, logger });
  return [...commandWorks(client), ...clickWorks(), ...formWorks(client, logger)];
}
