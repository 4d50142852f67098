import type { App } from '@slack/bolt';
import type { Logger } from '../logger.js';

export const SOCKET_RETRY_MS = 30_000;

/**
 * Socket Mode connects out to Slack. Bolt gives up at once on a network error or an HTTP error
 * from apps.connections.open; the service must not die of it (the outbox keeps messages until
 * Slack is back), so the connection is attempted again every 30 seconds until it holds or stop().
 */
export function connectSocketMode(bolt: App, logger: Logger, retryMs = SOCKET_RETRY_MS): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    try {
      await bolt.start();
      logger.info('slack: connected over Socket Mode');
    } catch (error) {
      if (stopped) return;
      logger.error(`slack: Socket Mode could not connect (${error instanceof Error ? error.message : String(error)}); trying again in ${retryMs / 1000} s. SLACK_APP_TOKEN must be an app-level xapp- token with the connections:write scope.`);
      timer = setTimeout(() => { void attempt(); }, retryMs);
      timer.unref();
    }
  };
  void attempt();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      try {
        await bolt.stop();
      } catch {
        // Never connected: nothing to close.
      }
    },
  };
}
