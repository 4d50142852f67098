import { isLoopbackName } from '../domain/loopback.js';
import type { Config } from '../config.js';

/**
 * Whether and how Teams runs, from the configuration alone (the HTTP route, the start-up log and
 * the outbox's worker threads all decide the same way). Pure: no SDK is loaded here.
 *
 * Without MICROSOFT_APP_ID the Bot Framework SDK accepts anonymous activities and posts replies to
 * whatever serviceUrl the caller names. That is what the Bot Framework Emulator and the tests need,
 * and it is harmless while only this machine can reach the listener; on any other address it would
 * let anyone drive the bot, so Teams stays off there until it has credentials (CONTRACT section 3).
 */
export type TeamsMode =
  | { readonly kind: 'authenticated'; readonly appId: string }
  | { readonly kind: 'local' }
  | { readonly kind: 'off'; readonly reason: string };

export const TEAMS_MESSAGES_PATH = '/api/messages';

export function teamsMode(config: Pick<Config, 'host' | 'teams'>): TeamsMode {
  if (config.teams.appId) return { kind: 'authenticated', appId: config.teams.appId };
  if (isLoopbackHost(config.host)) return { kind: 'local' };
  return {
    kind: 'off',
    reason: `Teams is off: HOST=${config.host} is reachable from other machines and MICROSOFT_APP_ID is not set, so ${TEAMS_MESSAGES_PATH} would accept anyone. `
      + 'Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (and MICROSOFT_APP_TENANT_ID for a SingleTenant bot) to turn Teams on, '
      + 'or listen on a loopback address (HOST=127.0.0.1) for local mode with the Bot Framework Emulator.',
  };
}

/** Literal loopback addresses and the name `localhost`: see src/domain/loopback.ts. */
export const isLoopbackHost = isLoopbackName;

/** The start-up log's line about Teams (describeConfig). */
export function describeTeams(config: Pick<Config, 'host' | 'teams'>): string {
  const mode = teamsMode(config);
  switch (mode.kind) {
    case 'authenticated':
      return `teams: on, authenticated (${config.teams.appType}) at ${TEAMS_MESSAGES_PATH}, ${config.teams.tenantId ? 'serving one tenant (MICROSOFT_APP_TENANT_ID)' : 'serving any tenant: set MICROSOFT_APP_TENANT_ID to serve only yours'}`;
    case 'local':
      return `teams: local mode at ${TEAMS_MESSAGES_PATH}, unauthenticated, for the Bot Framework Emulator on this machine only (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for a real tenant)`;
    case 'off':
      return `teams: off, ${TEAMS_MESSAGES_PATH} answers 503 (HOST=${config.host} is not a loopback address and MICROSOFT_APP_ID is not set: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to turn it on, or HOST=127.0.0.1 for local mode)`;
  }
}
