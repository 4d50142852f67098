import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { castVote } from '../../src/services/cast-vote.js';
import { runRetentionSweep } from '../../src/services/purge/sweep.js';
import { cleanEnv, requireBuild, runCli, scratchDir, startServiceProcess, type RunningService } from '../support/processes.js';
import { addMember } from '../support/purge-fixtures.js';
import { createTestServices, slackUser, type TestServices } from '../support/service-context.js';

/**
 * The purge across a kill -9: a real service process starts purging ~50,000 approved candidates,
 * is killed mid-purge, and a fresh process finishes the job. Every candidate ends up done exactly
 * once: one tombstone each, chunk audit events covering each contact once, the chain intact.
 */
const CANDIDATES = 50_000;

describe('purge killed mid-way', () => {
  let t: TestServices;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let service: RunningService | null = null;
  let batchId: number;

  beforeAll(async () => {
    requireBuild();
    dir = scratchDir('govbot-purge-kill-');
    t = await createTestServices({ env: { DATA_DIR: path.join(dir, 'data'), APPROVAL_QUORUM: '2', SUPPRESSION_PEPPER: 'kill-test-pepper-0123456789' }, now: new Date().toISOString() });
    env = cleanEnv({ DATABASE_URL: t.database.url, DATA_DIR: path.join(dir, 'data'), PORT: '0', APPROVAL_QUORUM: '2', SUPPRESSION_PEPPER: 'kill-test-pepper-0123456789' });
    // Set-based: lapsed contacts collected five years ago, every tenth tagged do-not-contact.
    await t.db.raw(`insert into contacts (external_id, email, full_name, first_collected_at, do_not_contact)
      select 'KILL-' || g, 'person' || g || '@example.com', 'Person ' || g, now() - interval '5 years', g % 10 = 0
      from generate_series(1, ?) as g`, [CANDIDATES]);
    // A provider receiving contact data: the purge owes it one Art 19 notice, with each CRM id once.
    await t.db('processors').insert({ name: 'HubSpot CRM', purpose: 'CRM', next_review_on: '2027-06-01', created_by: 'slack:UKILLA' });
    const outcome = await runRetentionSweep(t.ctx, t.now(), { by: 'govbot', platform: null });
    if (outcome.kind !== 'proposed') throw new Error(`expected a proposal, got ${outcome.kind}`);
    batchId = outcome.batchId;
    await addMember(t.db, 'UKILLA');
    await addMember(t.db, 'UKILLB');
    for (const who of ['UKILLA', 'UKILLB']) {
      const vote = await castVote(t.ctx, slackUser(who), { proposalId: outcome.proposalId, decision: 'approve' });
      if (!vote.ok) throw new Error(vote.error);
    }
  }, 120_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGKILL');
      await service.exited;
    }
    await t?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const itemCounts = async () => {
    const rows = await t.db('purge_items').where({ batch_id: batchId }).groupBy('status').select<{ status: string; count: number }[]>('status', t.db.raw('count(*)::int as count'));
    return Object.fromEntries(rows.map((r) => [r.status, r.count])) as Record<string, number | undefined>;
  };

  async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== null) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; items: ${JSON.stringify(await itemCounts())}\n${service?.output() ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('finishes after a restart, every candidate done exactly once', async () => {
    service = await startServiceProcess(env, dir);
    // execute-actions ticks every 10 s; kill as soon as some, but not all, chunks have committed.
    const before = await until('the purge to start', 60_000, async () => {
      const done = (await itemCounts()).done ?? 0;
      return done > 0 ? done : null;
    });
    service.child.kill('SIGKILL');
    expect(await service.exited).toBe('SIGKILL');
    const afterKill = await itemCounts();
    expect(before).toBeLessThan(CANDIDATES);
    expect(afterKill.pending ?? 0).toBeGreaterThan(0);
    expect(await t.db('purge_batches').where({ id: batchId }).first()).toMatchObject({ status: 'running' });

    service = await startServiceProcess(env, dir);
    await until('the purge to finish', 90_000, async () => {
      const batch = await t.db('purge_batches').where({ id: batchId }).first<{ status: string }>('status');
      return batch.status === 'done' ? true : null;
    });
    service.child.kill('SIGTERM');
    await service.exited;

    expect(await itemCounts()).toEqual({ done: CANDIDATES });
    expect(await t.db('contacts').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    const tombstones = await t.db('contact_tombstones').where({ purge_batch_id: batchId })
      .select<{ count: number; distinct: number; suppressed: number }[]>(t.db.raw('count(*)::int as count, count(distinct contact_id)::int as distinct, count(*) filter (where suppressed)::int as suppressed'));
    expect(tombstones).toEqual([{ count: CANDIDATES, distinct: CANDIDATES, suppressed: CANDIDATES / 10 }]);
    expect(await t.db('suppression_list').count<{ count: number }[]>('* as count')).toEqual([{ count: CANDIDATES / 10 }]);
    // The committed chunks cover every contact once: their ranges never overlap and their counts add up.
    const chunks = await t.db('audit_events').where({ action: 'purge.chunk' }).orderBy('id')
      .select<{ facts: { first_contact_id: number; last_contact_id: number; deleted_count: number } }[]>('facts');
    expect(chunks.reduce((sum, c) => sum + c.facts.deleted_count, 0)).toBe(CANDIDATES);
    const ranges = chunks.map((c) => [c.facts.first_contact_id, c.facts.last_contact_id] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i += 1) expect(ranges[i]![0]).toBeGreaterThan(ranges[i - 1]![1]);
    expect(await t.db('audit_events').where({ action: 'purge.done' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    const report = await t.db('outbox').where({ card_key: `purge-report:${batchId}` }).first();
    expect(JSON.stringify(report.payload)).toContain('50,000 contacts');

    const notices = await t.db('purge_recipient_notices').select('owed_count', 'listed_count', 'file_name');
    expect(notices).toEqual([{ owed_count: CANDIDATES, listed_count: CANDIDATES, file_name: expect.stringMatching(/-recipient-\d+-hubspot-crm\.csv$/) }]);
    const listed = fs.readFileSync(path.join(dir, 'data', 'exports', notices[0].file_name), 'utf8').trim().split('\n').slice(1);
    expect(listed).toHaveLength(CANDIDATES);
    expect(new Set(listed).size).toBe(CANDIDATES);

    const audit = await runCli(['audit', 'verify'], env, dir);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^ok \d+ events/);
  }, 240_000);
});
