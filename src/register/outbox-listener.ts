import pg from 'pg';

/** The channel the `outbox_notify` trigger signals on when messages are queued (after commit). */
export const OUTBOX_CHANNEL = 'govbot_outbox';

export interface OutboxListener {
  close(): Promise<void>;
}

const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 60_000;

/**
 * One connection of its own, LISTENing for queued messages on every replica: `onQueued` runs
 * whenever any process commits an outbox row. A lost connection is re-opened with back-off (the
 * delivery loop's own timer covers the gap, so a missed notification only delays a message).
 */
export function listenForQueuedMessages(url: string, onQueued: () => void, report: { lost: (message: string) => void; back: (message: string) => void }): OutboxListener {
  let client: pg.Client | null = null;
  let closed = false;
  let delay = RECONNECT_MIN_MS;
  // One line when the connection is lost and one when it is back, however many tries between.
  let outage = false;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    if (closed) return;
    const next = new pg.Client({ connectionString: url });
    client = next;
    const lost = (reason: string) => {
      if (client !== next || closed) return;
      client = null;
      next.removeAllListeners();
      next.on('error', () => undefined);
      void next.end().catch(() => undefined);
      if (!outage) report.lost(`the outbox listener lost its connection (${reason}); reconnecting with back-off, up to every ${RECONNECT_MAX_MS / 1000} s`);
      outage = true;
      timer = setTimeout(() => { timer = null; void connect(); }, delay);
      delay = Math.min(delay * 2, RECONNECT_MAX_MS);
    };
    next.on('error', (error) => lost(error.message));
    next.on('end', () => lost('connection ended'));
    next.on('notification', (message) => { if (message.channel === OUTBOX_CHANNEL) onQueued(); });
    try {
      await next.connect();
      await next.query(`listen ${OUTBOX_CHANNEL}`);
      delay = RECONNECT_MIN_MS;
      if (outage) report.back('the outbox listener reconnected');
      outage = false;
      // Anything queued while the connection was down is looked at now.
      onQueued();
    } catch (error) {
      lost((error as Error).message);
    }
  };
  void connect();

  return {
    close: async () => {
      closed = true;
      if (timer) clearTimeout(timer);
      const open = client;
      client = null;
      if (open) {
        open.removeAllListeners();
        open.on('error', () => undefined);
        await open.end().catch(() => undefined);
      }
    },
  };
}
