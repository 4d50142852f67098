import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { dispatchCommand, type CommandRoot } from '../../commands/dispatch.js';
import { actor, type Actor } from '../../src/chat/actor.js';
import type { Reply } from '../../src/chat/reply.js';
import { parseConfig, type Environment } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { Db } from '../../src/register/database.js';
import type { ServiceContext } from '../../src/services/context.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/**
 * A ServiceContext on a database of its own, with a clock the test sets and a kickJob that only
 * records what it was asked to start, so tests see "execute-actions was kicked" without a scheduler.
 */
export interface TestServices {
  readonly ctx: ServiceContext;
  readonly db: Db;
  readonly database: TestDatabase;
  /** Job names kickJob was called with, in order. */
  readonly kicked: string[];
  /** Sets the clock to an instant (`2026-03-02T10:00:00Z`) or to noon UTC of a day (`2026-03-02`). */
  setNow(when: string | Date): void;
  now(): Date;
  drop(): Promise<void>;
}

export const TEST_PEPPER = 'test-pepper-0123456789abcdef';
/** A Monday in term time, far from bank holidays, so due dates are easy to check by eye. */
export const DEFAULT_NOW = '2026-03-02T10:00:00Z';

export async function createTestServices(options: { env?: Environment; now?: string } = {}): Promise<TestServices> {
  const database = await createTestDatabase();
  const config = parseConfig({ DATA_DIR: path.join(os.tmpdir(), 'govbot-test-data'), LOG_LEVEL: 'silent', SCHEDULER: 'off', ...options.env }, process.cwd());
  let current = toInstant(options.now ?? DEFAULT_NOW);
  const kicked: string[] = [];
  const ctx: ServiceContext = {
    db: database.db,
    config,
    pepper: TEST_PEPPER,
    logger: createLogger({ logLevel: 'silent' }),
    clock: () => new Date(current.getTime()),
    kickJob: (name) => { kicked.push(name); },
  };
  return {
    ctx,
    db: database.db,
    database,
    kicked,
    setNow: (when) => { current = toInstant(when); },
    now: () => new Date(current.getTime()),
    drop: () => database.drop(),
  };
}

function toInstant(when: string | Date): Date {
  if (when instanceof Date) return new Date(when.getTime());
  // Noon UTC is noon or 13:00 in London: the same calendar day whatever the season.
  return new Date(/^\d{4}-\d{2}-\d{2}$/.test(when) ? `${when}T12:00:00Z` : when);
}

/** A Slack user typing in channel C0COMMITTEE (or `teams:` ids for Teams). */
export function slackUser(userId: string, channelId = 'C0COMMITTEE'): Actor {
  return actor('slack', userId, { channelId, displayName: userId.toLowerCase() });
}

export function teamsUser(userId: string, channelId = '19:committee@thread.tacv2'): Actor {
  return actor('teams', userId, { channelId, displayName: userId });
}

const REGISTER_TABLES = ['requests', 'request_pauses', 'request_notices', 'identity_checks', 'proposals', 'votes', 'actions',
  'committee_members', 'settings', 'outbox', 'audit_events', 'contacts', 'suppression_list', 'contact_tombstones',
  'retention_exclusions', 'purge_batches', 'purge_items', 'processors', 'processor_reviews', 'notice_reviews',
  'regulatory_changes', 'breaches', 'reminders_sent', 'reference_counters', 'job_runs'] as const;

/**
 * A fingerprint of every table a command could change (row counts and a digest of the rows), so a
 * test can assert that a refused command changed nothing at all.
 */
export async function registerSnapshot(db: Db): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const table of REGISTER_TABLES) {
    const result = await db.raw<{ rows: { count: number; digest: string | null }[] }>(
      `select count(*)::int as count, md5(string_agg(t::text, '|' order by t::text)) as digest from ${table} t`);
    const row = result.rows[0];
    snapshot[table] = `${row?.count ?? 0}:${row?.digest ?? ''}`;
  }
  return snapshot;
}

/** Typing commands as someone, the way the Slack and Teams adapters call dispatch. */
export interface CommandDriver {
  run(who: Actor, root: CommandRoot, text: string): Promise<Reply>;
  /** The reply's text (a form reply fails the test). */
  say(who: Actor, root: CommandRoot, text: string): Promise<string>;
  /** Asserts a private reply containing every `expected` text, with every table left as it was. */
  refused(who: Actor, root: CommandRoot, text: string, ...expected: string[]): Promise<string>;
  /** `/dsr new <text>` as `who`; returns the reference it logged. */
  log(who: Actor, text: string): Promise<string>;
}

export function commandDriver(t: Pick<TestServices, 'ctx' | 'db'>): CommandDriver {
  const run = (who: Actor, root: CommandRoot, text: string) => dispatchCommand({ services: t.ctx, actor: who }, root, text);
  const say = async (who: Actor, root: CommandRoot, text: string) => textOf(await run(who, root, text));
  return {
    run,
    say,
    async refused(who, root, text, ...expected) {
      const before = await registerSnapshot(t.db);
      const reply = await run(who, root, text);
      expect(reply.kind).toBe('private');
      const said = textOf(reply);
      for (const e of expected) expect(said).toContain(e);
      expect(await registerSnapshot(t.db)).toEqual(before);
      return said;
    },
    async log(who, text) {
      const said = await say(who, 'dsr', `new ${text}`);
      const ref = /DSR-\d{4}-\d{4}/.exec(said)?.[0];
      if (!ref) throw new Error(`the request was not logged: ${said}`);
      return ref;
    },
  };
}

function textOf(reply: Reply): string {
  if (reply.kind === 'form') throw new Error(`expected a text reply, got the ${reply.form.id} form`);
  return reply.text;
}
