import { loadConfig } from './config.js';
import { errorSummary, GovbotError } from './errors.js';
import { createLogger } from './logger.js';

/** How long a service that lost its embedded database may take to close before it exits anyway. */
const STOP_AFTER_LOSS_MS = 10_000;

/** `npm start`: the long-running service. Faults the operator must fix end in one line and exit 1. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  // Loaded after the configuration is checked: the chat SDKs take a second or two to import, and
  // a mistyped variable should be reported at once.
  const { startService } = await import('./service.js');
  let signalled = false;
  const service = await startService(config, logger, {
    // One line, then out with a non-zero code: its supervisor restarts the service, and the
    // restart starts the embedded database again (every acknowledged change was committed).
    onDatabaseLost: (message) => {
      if (signalled) return;
      signalled = true;
      logger.error(message);
      const exit = () => process.exit(1);
      setTimeout(exit, STOP_AFTER_LOSS_MS).unref();
      service.stop().then(exit, exit);
    },
  });
  logger.info('govbot is ready');

  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    logger.info(`${signal} received: shutting down`);
    service.stop().then(
      () => { logger.info('stopped cleanly'); process.exit(0); },
      (error: unknown) => { logger.error({ err: errorSummary(error) }, 'shutdown failed'); process.exit(1); },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (error instanceof GovbotError) {
    process.stderr.write(`govbot: ${error.message}\n`);
  } else {
    process.stderr.write(`govbot: unexpected failure: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exit(1);
});
