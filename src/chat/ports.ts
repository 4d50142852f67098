import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Platform } from '../domain/platform.js';
import { createSlackPort } from '../slack/slack-port.js';
import { createTeamsPort } from '../teams/teams-port.js';
import type { ChatPort } from './port.js';

/**
 * The platforms deliver-outbox can reach with this configuration. Slack is on when it has a bot
 * token; Teams when it has credentials, or in local mode on a loopback HOST (the port loads the
 * Bot Framework SDK only once it has something to send). A platform missing here is not an error:
 * its messages wait in the outbox, with the reason, until it is configured.
 */
export function createChatPorts(config: Config, logger: Logger): Map<Platform, ChatPort> {
  const ports = new Map<Platform, ChatPort>();
  if (config.slack.botToken) {
    ports.set('slack', createSlackPort({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger: logger.child({ component: 'slack-port' }) }));
  }
  const teams = createTeamsPort({ config, logger: logger.child({ component: 'teams-port' }) });
  if (teams) ports.set('teams', teams);
  return ports;
}
