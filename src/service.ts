import type { Config } from './config.js';
import { describeConfig } from './config.js';
import { createHttpApp, metricsApp, startHttpServer, type HttpServer } from './http/server.js';
import { startBackgroundThread, type BackgroundThread } from './background/thread.js';
import { createInboxRecorder } from './inbox/recorder.js';
import { startScheduler, type Scheduler } from './jobs/scheduler.js';
import { resolveLogFormat, type Logger } from './logger.js';
import { openDatabase, prepareWholePool, type Database } from './register/database.js';
import { migrateToLatest } from './register/migrations.js';
import { warmRequestViewReads } from './register/request-view-rows.js';
import { prepareInboxRecording } from './register/slack-inbox.js';
import { warmVoteReads } from './register/vote-context.js';
import { lockDataDir } from './register/service-lock.js';
import { recomputeLegacyClocks } from './services/recompute-clocks.js';
import type { ServiceContext } from './services/context.js';
import { bootstrapChairs } from './services/bootstrap-chairs.js';
import { resolveSuppressionPepper } from './services/suppression-pepper.js';
import { createSlackAdapter } from './slack/slack-app.js';
import { createTeamsAdapter } from './teams/teams-app.js';
import { teamsMode } from './teams/teams-mode.js';
import { mountPublicForms } from './web/public-forms.js';
import { mountPlayground, PLAYGROUND_PATH, playgroundOn } from './web/playground/routes.js';
import { errorSummary } from './errors.js';
import { loadBankHolidays } from './domain/holidays.js';

export interface Service {
  readonly port: number;
  readonly database: Database;
  readonly context: ServiceContext;
  stop(): Promise<void>;
}

/**
 * Composition root: database, migrations, the scheduler, the chat adapters and HTTP. Everything is
 * built here from the Config and passed down; nothing reaches for globals. If a step fails, what
 * was already started is stopped again before the error propagates.
 */
export interface ServiceOptions {
  /**
   * The embedded PostgreSQL server this service started has stopped under it (killed, crashed).
   * It is this process's own database, so the process cannot carry on without it; the caller
   * ends the process for its supervisor to restart it, which starts the database again.
   */
  onDatabaseLost?: (message: string) => void;
}

const WATCH_EMBEDDED_MS = 1_000;
/** How long start-up waits for the background thread to load before it says ready regardless. */
const BACKGROUND_READY_WITHIN_MS = 30_000;

export async function startService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<Service> {
  for (const line of describeConfig(config)) logger.info(line);
  // With the embedded database, the data directory is this service's alone (see lockDataDir).
  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  let database: Database;
  try {
    database = await openDatabase(config, (message) => logger.info(message), { keepPoolOpen: true });
  } catch (error) {
    unlock();
    throw error;
  }
  const stops: Array<() => Promise<void>> = [async () => unlock(), () => database.close()];
  const stopAll = async () => {
    // Reverse order: stop taking requests, stop the jobs, then close the database.
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => logger.error({ err: errorSummary(error) }, 'error while stopping'));
  };
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
    const clocks = await recomputeLegacyClocks({ db: database.db, config }, new Date());
    if (clocks.changed > 0) logger.info(`recomputed ${clocks.changed} request clock(s) under Article 12A (see the audit trail)`);
    // Every session of the pool opened and ready to record the first acknowledgements, and with a
    // vote's and a card's reads prepared and planned (see prepareWholePool, warmPrepared).
    await prepareWholePool(database.db, async (session) => {
      await prepareInboxRecording(database.db, session);
      await warmVoteReads(database.db, session);
      await warmRequestViewReads(database.db, session);
    });
    const pepper = await resolveSuppressionPepper({ configured: config.suppressionPepper, dataDir: config.dataDir, production: config.nodeEnv === 'production' });

    let scheduler: Scheduler | null = null;
    const context: ServiceContext = {
      db: database.db, config, pepper, logger, clock: () => new Date(),
      kickJob: (name) => scheduler?.kick(name),
    };
    const slackOn = config.slack.botToken !== null;
    const teamsOn = teamsMode(config).kind !== 'off';
    // The work after an ack (the inbox) and the interval jobs' loops run in one long-lived thread
    // with a pool of its own: this thread's event loop only verifies, records and answers.
    let background: BackgroundThread | null = null;
    if (config.scheduler || slackOn || teamsOn) {
      background = startBackgroundThread(
        { databaseUrl: database.url, pepper, logFormat: resolveLogFormat(config), loops: config.scheduler, slack: slackOn, teams: teamsOn },
        logger,
        { database: (loop, available) => scheduler?.databaseSeen(loop, available) },
      );
      const running = background;
      stops.push(() => running.stop());
    }
    if (config.scheduler) {
      const loopsIn = background;
      scheduler = await startScheduler({ timezone: config.timezone, logger, workerData: { databaseUrl: database.url, pepper, logFormat: resolveLogFormat(config) }, context: { db: database.db, config, logger, pepper }, ...(loopsIn ? { runElsewhere: (name: string) => loopsIn.kick(name) } : {}) });
      const running = scheduler;
      stops.push(() => running.stop());
    }
    const inbox = createInboxRecorder(database.db, logger, () => background?.wakeInbox());

    await bootstrapChairs(context);

    const app = createHttpApp(database.db, { timezone: config.timezone, clock: context.clock, logger, metricsToken: config.metricsToken, separateMetrics: config.metricsPort !== null });
    if (config.slack.botToken) {
      const slack = createSlackAdapter({ config, services: context, app, logger, inbox });
      stops.push(() => slack.stop());
    }
    if (config.publicForms) {
      mountPublicForms(app, { services: context, company: config.companyName, trustedProxies: config.trustedProxies, platform: config.slack.botToken ? 'slack' : 'teams' });
    }
    const teams = createTeamsAdapter({ config, services: context, app, logger, inbox, answering: () => background?.answering() });
    if (teams) stops.push(() => teams.stop());
    const playground = playgroundOn(config);
    if (playground) mountPlayground(app, { services: context, logger });
    const http: HttpServer = await startHttpServer({ app, host: config.host, port: config.port, logger });
    stops.push(() => http.close());
    if (playground) logger.info(`try it: ${urlOf(config.host, http.port)}${PLAYGROUND_PATH}`);
    if (config.metricsPort !== null) {
      const metrics = await startHttpServer({ app: metricsApp(app), host: config.host, port: config.metricsPort, logger: logger.child({ component: 'metrics' }) });
      stops.push(() => metrics.close());
    }

    // Clocks are counted in this thread too (a vote's card): its calendar loads while the background thread does.
    loadBankHolidays(config.bankHolidayRegion, new Date().getUTCFullYear());
    // Ready once the thread that does the work after each ack is: its loading would otherwise take
    // the CPU from the first acknowledgements. It is not waited for indefinitely: what arrives
    // meanwhile is recorded and waits in the register.
    if (background && !await background.ready(BACKGROUND_READY_WITHIN_MS)) {
      logger.warn(`the background thread is not ready after ${BACKGROUND_READY_WITHIN_MS / 1000} s; requests are recorded and done once it is`);
    }

    let stopping: Promise<void> | null = null;
    const embedded = database.embedded;
    if (embedded && options.onDatabaseLost) {
      const lost = options.onDatabaseLost;
      // A signal costs nothing: kill(pid, 0) once a second, off the event loop's keep-alive.
      const watch = setInterval(() => {
        if (stopping || embedded.alive()) return;
        clearInterval(watch);
        lost(`the embedded PostgreSQL server (pid ${embedded.pid}) in ${embedded.directory} has stopped: exiting so that a restart (by systemd, Docker or npm start) starts it again`);
      }, WATCH_EMBEDDED_MS);
      watch.unref();
      stops.push(async () => clearInterval(watch));
    }
    return { port: http.port, database, context, stop: () => (stopping ??= stopAll()) };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
