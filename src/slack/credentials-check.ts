import type { Logger } from '../logger.js';
import { createSlackClient, toDeliveryError } from './slack-port.js';

/** For `govbot doctor`: does Slack accept the bot token? One auth.test call, with a short timeout. */
export async function checkSlackToken(options: { token: string; apiUrl: string; logger: Logger }): Promise<{ ok: true; detail: string } | { ok: false; detail: string }> {
  const client = createSlackClient({ token: options.token, apiUrl: options.apiUrl, logger: options.logger, timeoutMs: 5_000 });
  try {
    const result = await client.auth.test();
    return { ok: true, detail: `bot ${String(result.user ?? '?')} in workspace ${String(result.team ?? '?')}` };
  } catch (error) {
    return { ok: false, detail: toDeliveryError('auth.test', error).message };
  }
}
