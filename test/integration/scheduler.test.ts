import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planAction } from '../../src/domain/action-plans.js';
import { suppressionHash } from '../../src/domain/suppression.js';
import { startScheduler, type Scheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { queueAction, type ActionRow } from '../../src/register/actions.js';
import { insertProposal } from '../../src/register/proposals.js';
import { insertRequest, updateRequest } from '../../src/register/requests.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The real thing: Bree starts a worker thread on the compiled dist/jobs/execute-actions.js, which
 * loads its config from the environment, opens its own pool from workerData and carries out the
 * action. `npm test` builds first (pretest); run by hand, build with `npm run build`.
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
  const saved = new Map<string, string | undefined>();

  beforeAll(async () => {
    const compiled = path.join(root, 'dist', 'jobs', 'execute-actions.js');
    if (!fs.existsSync(compiled)) throw new Error(`${compiled} is missing: run npm run build first (npm test does it through pretest)`);
    t = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-scheduler-'));
    for (const [name, value] of Object.entries({ ...ENVIRONMENT, DATA_DIR: dataDir })) {
      saved.set(name, process.env[name]);
      process.env[name] = value;
    }
  });
  afterAll(async () => {
    await scheduler?.stop();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await t?.drop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs the compiled execute-actions worker when kicked, and the queued action is carried out', async () => {
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

    scheduler = await startScheduler({ timezone: 'Europe/London', logger: createLogger({ logLevel: 'silent' }), workerData: { databaseUrl: t.url, pepper: PEPPER, logFormat: 'json' } });
    scheduler.kick('execute-actions');

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
});
