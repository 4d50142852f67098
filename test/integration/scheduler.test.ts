import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAction } from '../../src/domain/action-plans.js';
import { suppressionHash } from '../../src/domain/suppression.js';
import { parseConfig } from '../../src/config.js';
import { startScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import { enqueueMessage } from '../../src/register/outbox.js';
import { listenForQueuedMessages } from '../../src/register/outbox-listener.js';
import { startFakeSlack, type FakeSlack } from '../support/fake-slack.js';
import { createLogger } from '../../src/logger.js';
import { queueAction, type ActionRow } from '../../src/register/actions.js';
import { insertProposal } from '../../src/register/proposals.js';
import { insertRequest, updateRequest } from '../../src/register/requests.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The real thing: the scheduler as the service starts it. Interval jobs (execute-actions,
 * deliver-outbox) run in loops in this process on the given pool; slot jobs in Bree worker threads
 * on the compiled dist/jobs. `npm test` builds first (pretest); run by hand, `npm run build`.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const PEPPER = 'test-pepper-0123456789abcdef';
const WAIT_MS = 20_000;
// What the worker's loadConfig reads: the exports go to a scratch DATA_DIR; nothing reaches Slack.
const ENVIRONMENT = { DATA_DIR: '', LOG_LEVEL: 'silent', SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '', TIMEZONE: 'Europe/London' };

describe('scheduler', () => {
  let t: TestDatabase;
  let dataDir: string;
  let scheduler: Scheduler | null = null;
  let fake: FakeSlack;
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    const compiled = path.join(root, 'dist', 'jobs', 'execute-actions.js');
    if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first (npm test does it through pretest)`);
    t = await createTestDatabase();
    fake = await startFakeSlack();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-scheduler-'));
    for (const [name, value] of Object.entries({ ...ENVIRONMENT, DATA_DIR: dataDir })) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  });
  afterAll(async () => {
    await scheduler?.stop();
    await fake?.close();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await t?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async () => {
    const config = parseConfig({ ...ENVIRONMENT, DATA_DIR: dataDir, SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'test-signing-secret', SLACK_API_URL: fake.apiUrl, SLACK_COMMITTEE_CHANNEL: 'C0COMMITTEE' }, dataDir);
    const logger = createLogger({ logLevel: 'silent' });
    scheduler ??= await startScheduler({ timezone: 'Europe/London', logger, workerData: { databaseUrl: t.url, pepper: PEPPER, logFormat: 'json' }, context: { db: t.db, config, logger, pepper: PEPPER } });
    return scheduler;
  };

  it('runs execute-actions when kicked, and the queued action is carried out', async () => {
    const email = 'worker.path@example.com';
    const [contact] = await t.db('contacts').insert({ external_id: 'CRM-W1', email, full_name: 'Wendy Worker' }).returning('id');
    const contactId = Number((contact as { id: number }).id);
    const { reference, actionId } = await t.db.transaction(async (trx) => {
      const plan = planAction({ type: 'access', contactIds: [contactId], controller: null });
      const row = await insertRequest(trx, {
        reference: 'DSR-2026-0042', type: 'access', subject_email: email, subject_name: 'Wendy Worker', subject_hmac: suppressionHash(PEPPER, email),
        contact_id: contactId, received_via: 'email', agent_name: null, controller: null, received_on: '2026-11-20', due_on: '2026-12-21',
        possible_repeat_of: null, requested_by: 'slack:UCLERK', details: { platform: 'slack', matchedContactIds: [contactId], maskedSubject: 'w***@example.com' },
      });
      await updateRequest(trx, row.id, { status: 'action-approved' });
      const proposal = await insertProposal(trx, { kind: 'action', request_id: row.id, quorum: 1, proposed_by: 'govbot', requested_by: 'slack:UCLERK', summary: {} });
      const action = await queueAction(trx, { proposal_id: proposal.id, request_id: row.id, kind: plan.kind, params: plan.params });
      return { reference: row.reference, actionId: action.id };
    });

    (await start()).kick('execute-actions');

    const deadline = Date.now() + WAIT_MS;
    let action: ActionRow | undefined;
    while (Date.now() < deadline) {
      action = await t.db('actions').where({ id: actionId }).first<ActionRow>();
      if (action?.status !== 'queued') break;
      await sleep(100);
    }
    expect(action, `the action was not carried out within ${WAIT_MS / 1000} s`).toMatchObject({ status: 'done', attempts: 1 });
    expect(fs.statSync(path.join(dataDir, 'exports', `${reference}.json`)).mode & 0o777).toBe(0o600);
    expect(await t.db('requests').where({ reference }).first()).toMatchObject({ status: 'completed' });
  });

  it('delivers a message queued by another connection, with no kick', async () => {
    await start();
    // The first test's request card goes out first.
    for (const until = Date.now() + WAIT_MS; Date.now() < until && (await t.db('outbox').where({ status: 'pending' }).pluck('id')).length > 0;) await sleep(50);
    const before = fake.callsTo('chat.postMessage').length;
    const queuedAt = Date.now();
    // Another process (a replica, the CLI) queues a message: no kick reaches this one.
    await t.db.transaction((trx) => enqueueMessage(trx, { platform: 'slack', operation: 'post', channel: null, card_key: null, payload: { text: 'woken by the database' } }));
    while (fake.callsTo('chat.postMessage').length === before && Date.now() - queuedAt < WAIT_MS) await sleep(20);
    const posted = fake.callsTo('chat.postMessage').slice(before);
    expect(posted.map((call) => call.body)).toMatchObject([{ channel: 'C0COMMITTEE', text: 'woken by the database' }]);
    // Marked sent in the transaction that posted it, just after the post.
    const pending = () => t.db('outbox').where({ status: 'pending' }).pluck('id');
    for (const until = Date.now() + WAIT_MS; Date.now() < until && (await pending()).length > 0;) await sleep(20);
    expect(await pending()).toEqual([]);
  });

  it('is told of queued messages by the database when their transaction commits, never before, and not for a rollback', async () => {
    // Only this test's transactions may queue a message: the earlier tests' scheduler could still
    // be carrying out an action whose card update would be one notification more.
    await scheduler?.stop();
    scheduler = null;
    let told = 0;
    const listener = listenForQueuedMessages(t.url, () => { told += 1; }, { lost: () => undefined, back: () => undefined });
    try {
      // On connecting it looks once, for anything queued while it was away.
      while (told === 0) await sleep(10);
      told = 0;
      const queue = (trx: Parameters<typeof enqueueMessage>[0], text: string) => enqueueMessage(trx, { platform: 'slack', operation: 'post', channel: null, card_key: null, payload: { text } });
      await t.db.transaction(async (trx) => {
        await queue(trx, 'first');
        await queue(trx, 'second');
        await sleep(300);
        expect(told, 'told before the commit').toBe(0);
      });
      const deadline = Date.now() + WAIT_MS;
      while (told === 0 && Date.now() < deadline) await sleep(10);
      await sleep(200);
      expect(told, 'one notification per committed transaction').toBe(1);
      await t.db.transaction(async (trx) => {
        await queue(trx, 'rolled back');
        await trx.rollback();
      }).catch(() => undefined);
      await sleep(300);
      expect(told, 'told of a rolled-back message').toBe(1);
    } finally {
      await listener.close();
      await t.db('outbox').where({ status: 'pending' }).delete();
    }
  });
});
