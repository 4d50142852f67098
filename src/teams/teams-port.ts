import type { Card } from '../chat/card.js';
import type { NameOf } from '../chat/mention.js';
import { DeliveryError, type ChatPort, type OutgoingMessage } from '../chat/port.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { CommitteeChannel } from '../services/committee-channel.js';
import { asConversationReference, cardActivity, textActivity } from './activities.js';
import { CONNECTOR_TIMEOUT_MS, ConnectorCallError } from './connector-http.js';
import type { ProactiveConnector } from './proactive.js';
import { teamsMode } from './teams-mode.js';
import { isLoopbackUrl } from '../domain/loopback.js';

/**
 * The outbox's way into Teams: a new committee card or notice is posted proactively to the stored
 * conversation reference; later changes replace it by its activity id. Built from the configuration
 * alone (deliver-outbox runs in a worker thread); null when Teams is off, so Teams messages wait in
 * the outbox with the reason instead of being sent unauthenticated from a public host.
 */
export function createTeamsPort(options: { config: Pick<Config, 'host' | 'teams'>; logger: Logger; timeoutMs?: number }): ChatPort | null {
  const mode = teamsMode(options.config).kind;
  if (mode === 'off') return null;
  const referenceOf = (channel: CommitteeChannel) => conversationReferenceOf(channel, mode === 'local');
  const timeoutMs = options.timeoutMs ?? CONNECTOR_TIMEOUT_MS;
  let connector: Promise<ProactiveConnector> | undefined;
  const connect = () => (connector ??= import('./proactive.js').then((m) => {
    options.logger.debug('teams: Bot Framework client loaded for proactive delivery');
    return m.createProactiveConnector(options.config, timeoutMs);
  }));
  return {
    platform: 'teams',
    async post(channel: CommitteeChannel, message: OutgoingMessage, nameOf?: NameOf) {
      const reference = referenceOf(channel);
      const activity = 'card' in message ? cardActivity(message.card, nameOf) : textActivity(message.text, undefined, nameOf);
      const messageId = await call('post', timeoutMs, async () => (await connect()).post(reference, activity));
      return { messageId };
    },
    async update(channel: CommitteeChannel, messageId: string, card: Card, nameOf?: NameOf) {
      await call('update', timeoutMs, async () => (await connect()).update(referenceOf(channel), messageId, cardActivity(card, nameOf)));
    },
  };
}

/**
 * In local mode nothing authenticates the connector either, so cards go to a loopback serviceUrl
 * only: a reference stored from anywhere else is never called (the inbound guard refuses such
 * activities; this holds for references stored before it, or written into the register by hand).
 */
function conversationReferenceOf(channel: CommitteeChannel, local: boolean) {
  const reference = asConversationReference(channel.conversation);
  if (!reference) {
    throw new DeliveryError('teams: the committee channel has no usable conversation reference: a chair should type "gov channel set" in the Teams channel again', { permanent: true });
  }
  if (local && !isLoopbackUrl(reference.serviceUrl ?? '')) {
    throw new DeliveryError(`teams: local mode posts only to a Bot Connector on this machine, and the committee channel's serviceUrl ${String(reference.serviceUrl).slice(0, 100)} is not loopback: set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or type "gov channel set" again from the Emulator`, { permanent: true });
  }
  return reference;
}

/**
 * Each connector request has its own deadline; this one covers the whole operation, token
 * included, so a stuck sign-in cannot hold the outbox row (and its lock) either. A late success
 * after the deadline may post the card twice: duplicates are the outbox's accepted failure mode.
 */
async function call<T>(operation: string, timeoutMs: number, send: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectorCallError(`${operation}: no answer within ${(3 * timeoutMs) / 1000} s`, { timedOut: true })), 3 * timeoutMs);
  });
  try {
    return await Promise.race([send(), deadline]);
  } catch (error) {
    throw toDeliveryError(operation, error);
  } finally {
    clearTimeout(timer);
  }
}

const FIX_NEEDED: Readonly<Record<number, string>> = {
  401: 'the Bot Connector refused govbot\'s credentials: check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID against the Azure Bot registration',
  403: 'govbot may not post there (removed from the team, or the app uninstalled): add govbot to the team again and type "gov channel set" in the committee channel',
  404: 'the conversation or the card no longer exists (channel deleted, or the message removed): type "gov channel set" in the committee channel',
};

export function toDeliveryError(operation: string, error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  const prefix = `teams ${operation}`;
  if (!(error instanceof ConnectorCallError)) {
    const message = error instanceof Error ? error.message : String(error);
    // Entra sign-in failures: AADSTS7000215 is a wrong secret, 700016 an unknown app id, 90002 an unknown tenant.
    if (/AADSTS(7000215|700016|90002|7000222)/.test(message)) return new DeliveryError(`${prefix}: sign-in refused (${message.slice(0, 200)}): ${FIX_NEEDED[401]}`, { permanent: true });
    return new DeliveryError(`${prefix}: ${message.slice(0, 300)}`);
  }
  const { status, retryAfterMs } = error.details;
  if (status === 429) return new DeliveryError(`${prefix}: ${error.message}, rate limited`, retryAfterMs === undefined ? {} : { retryAfterMs });
  if (status === undefined || status >= 500 || status === 408) {
    return new DeliveryError(`${prefix}: ${error.message}`, retryAfterMs === undefined ? {} : { retryAfterMs });
  }
  const fix = FIX_NEEDED[status] ?? 'the Bot Connector refused the message; it will not succeed unchanged';
  return new DeliveryError(`${prefix}: ${error.message}: ${fix}`, { permanent: true });
}
