import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { Config } from '../config.js';
import { connectorHttpClient } from './connector-http.js';

/**
 * The Bot Framework credentials from the configuration, shared by the inbound adapter (which checks
 * the JWT on every activity) and the outbox's port (which signs its calls). With no app id the SDK
 * runs unauthenticated; teams-mode.ts decides whether that is allowed at all.
 */
export function botAuthOptions(config: Pick<Config, 'teams'>): ConfigurationBotFrameworkAuthenticationOptions {
  const { appId, appPassword, tenantId, appType } = config.teams;
  if (!appId) return {};
  return {
    MicrosoftAppId: appId,
    MicrosoftAppType: appType,
    ...(appPassword ? { MicrosoftAppPassword: appPassword } : {}),
    ...(tenantId ? { MicrosoftAppTenantId: tenantId } : {}),
  };
}

/**
 * A plain CloudAdapter for proactive calls from the outbox's worker threads: it needs no routing,
 * and not loading teams-ai there saves most of a second on every run that delivers to Teams.
 */
export function createProactiveAdapter(config: Pick<Config, 'teams'>, timeoutMs?: number): CloudAdapter {
  const options = botAuthOptions(config);
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(options, undefined, undefined, undefined, { httpClient: connectorHttpClient(timeoutMs) }));
}
