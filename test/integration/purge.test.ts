import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/card.js';
import { retentionBounds } from '../../src/domain/purge.js';
import { Readable } from 'node:stream';
import { CONTACT_HEADER } from '../../src/domain/contact-row.js';
import { externalIdHash, phoneSuppressionHash, suppressionHash } from '../../src/domain/suppression.js';
import { importContacts } from '../../src/services/import-contacts.js';
import { executeActions } from '../../src/jobs/execute-actions.js';
import type { JobContext } from '../../src/jobs/job.js';
import { runPurges } from '../../src/jobs/purge.js';
import { tallyPurge } from '../../src/domain/purge-tally.js';
import { purgeItemCounts } from '../../src/register/purge-items.js';
import { createKnex } from '../../src/register/database.js';
import { castVote } from '../../src/services/cast-vote.js';
import { runRetentionSweep } from '../../src/services/purge/sweep.js';
import { verifyAudit } from '../../src/services/verify-audit.js';
import { addMember, insertContact, insertContacts, insertExclusion, insertRequest, itemsOf, type ContactSeed } from '../support/purge-fixtures.js';
import { createTestServices, slackUser, type TestServices } from '../support/service-context.js';

/**
 * The approved purge: votes through castVote, then runPurges (inside execute-actions) deleting in
 * chunks with a re-check under lock, tombstones and suppression entries, the report, and the
 * guarantees: resumable, each contact once even with two runners, nothing deleted that has become
 * protected since the approval.
 */
const TZ = 'Europe/London';
const SWEEP_AT = new Date('2026-10-01T08:00:00Z');
const APPROVED_AT = new Date('2026-10-08T10:00:00Z');
const { cutoffStart } = retentionBounds('2026-10-01', 3, TZ);
const OLD = new Date(cutoffStart.getTime() - 86_400_000);
const A = slackUser('UMEMBERA');
const B = slackUser('UMEMBERB');

let t: TestServices;
let dataDir: string;
let job: JobContext;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-purge-'));
  t = await createTestServices({ env: { DATA_DIR: dataDir, TIMEZONE: TZ, APPROVAL_QUORUM: '2' }, now: APPROVED_AT.toISOString() });
  job = { db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper };
  await addMember(t.db, 'UMEMBERA');
  await addMember(t.db, 'UMEMBERB');
});
afterEach(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const lapsed = (n: number, extra: Partial<ContactSeed> = {}): ContactSeed => ({ external_id: `CRM-${n}`, email: `person.${n}@example.com`, first_collected_at: OLD, ...extra });

/** Sweep, then two approvals: returns the proposal and batch. */
async function approvedPurge(): Promise<{ proposalId: number; batchId: number; reference: string }> {
  const outcome = await runRetentionSweep(t.ctx, SWEEP_AT, { by: 'govbot', platform: null });
  if (outcome.kind !== 'proposed') throw new Error(`expected a proposal, got ${outcome.kind}`);
  const first = await castVote(t.ctx, A, { proposalId: outcome.proposalId, decision: 'approve' });
  expect(first.ok && first.value.message).toMatch(/1 of 2 approvals/);
  const second = await castVote(t.ctx, B, { proposalId: outcome.proposalId, decision: 'approve' });
  expect(second.ok && second.value.message).toMatch(/PURGE-2026-Q4 approved/);
  return { proposalId: outcome.proposalId, batchId: outcome.batchId, reference: outcome.reference };
}

async function latestCard(key: string): Promise<Card> {
  return (await t.db('outbox').where({ card_key: key }).orderBy('id', 'desc').first<{ payload: { card: Card } }>('payload')).payload.card;
}

describe('the approved purge', () => {
  it('deletes in chunks: tombstones, suppression where owed, report, audit intact, list removed', async () => {
    const ids = await insertContacts(t.db, [
      lapsed(1), lapsed(2, { do_not_contact: true }), lapsed(3, { external_id: null }),
      { external_id: 'CRM-4', email: 'asked@example.com' }, { external_id: 'CRM-5', email: 'keep@example.com', is_customer: true, first_collected_at: OLD },
    ]);
    await insertRequest(t.db, { type: 'erasure', status: 'completed', matched: [ids[3]!], approvedAction: true });
    const { batchId, reference } = await approvedPurge();
    expect(t.kicked).toContain('execute-actions');
    expect(await t.db('purge_batches').where({ id: batchId }).first()).toMatchObject({ status: 'approved' });

    const summary = await executeActions(job, APPROVED_AT);
    expect(summary).toMatchObject({ executed: 0, purge: { deleted: 4, finished: [reference], more: false } });
    expect(await t.db('contacts').pluck('external_id')).toEqual(['CRM-5']);
    const tombstones = await t.db('contact_tombstones').orderBy('contact_id').select('contact_id', 'external_id_hash', 'reason', 'purge_batch_id', 'suppressed');
    expect(tombstones).toEqual([
      { contact_id: ids[0], external_id_hash: externalIdHash(t.ctx.pepper, 'CRM-1'), reason: 'R2', purge_batch_id: batchId, suppressed: false },
      { contact_id: ids[1], external_id_hash: externalIdHash(t.ctx.pepper, 'CRM-2'), reason: 'R2', purge_batch_id: batchId, suppressed: true },
      { contact_id: ids[2], external_id_hash: null, reason: 'R2', purge_batch_id: batchId, suppressed: false },
      { contact_id: ids[3], external_id_hash: externalIdHash(t.ctx.pepper, 'CRM-4'), reason: 'R1', purge_batch_id: batchId, suppressed: true },
    ]);
    expect(await t.db('suppression_list').orderBy('reason').select('email_hmac', 'reason', 'source_ref')).toEqual([
      { email_hmac: suppressionHash(t.ctx.pepper, 'person.2@example.com'), reason: 'do-not-contact', source_ref: reference },
      { email_hmac: suppressionHash(t.ctx.pepper, 'asked@example.com'), reason: 'purge R1', source_ref: reference },
    ]);
    expect((await itemsOf(t.db, reference)).map((i) => i.status)).toEqual(['done', 'done', 'done', 'done']);
    const batch = await t.db('purge_batches').where({ id: batchId }).first();
    expect(batch).toMatchObject({ status: 'done', counts: { deleted: { R1: 1, R2: 3 }, skipped: {}, suppressed: 2 } });
    const report = JSON.stringify(await latestCard(`purge-report:${batchId}`));
    expect(report).toContain(`Purge ${reference} completed`);
    expect(report).toMatch(/"Deleted","value":"4 contacts/);
    expect(report).not.toContain('@');
    expect((await latestCard(`purge:${batchId}`)).status).toBe('done');
    expect(fs.existsSync(path.join(dataDir, 'exports', `${reference}-candidates.csv`))).toBe(false);
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
    expect(JSON.stringify(await t.db('audit_events').where('action', 'like', 'purge.%').select('facts', 'subject'))).not.toContain('@');
    expect(await runPurges(job, APPROVED_AT)).toBeNull();
  });

  it('reduces a "Do not contact" contact dormant for four years to its suppression record, and a later import of its email is refused', async () => {
    const fourYears = new Date('2022-09-15T10:00:00Z');
    const [optedOut, erased] = await insertContacts(t.db, [
      { external_id: 'CRM-DNC', email: 'Opted.Out@example.com', phone: '07700 900777', do_not_contact: true, first_collected_at: fourYears },
      { external_id: 'CRM-R1', email: 'asked@example.com', phone: 'reception, ask for Ann' },
    ]);
    await insertRequest(t.db, { type: 'erasure', status: 'completed', matched: [erased!], approvedAction: true });
    const outcome = await runRetentionSweep(t.ctx, SWEEP_AT, { by: 'govbot', platform: null });
    if (outcome.kind !== 'proposed') throw new Error(outcome.kind);
    expect(JSON.stringify(await latestCard(`purge:${outcome.batchId}`))).toContain('"label":"Do not contact","value":"1 tagged \\"Do not contact\\": only their suppression record remains');
    await castVote(t.ctx, A, { proposalId: outcome.proposalId, decision: 'approve' });
    await castVote(t.ctx, B, { proposalId: outcome.proposalId, decision: 'approve' });
    await runPurges(job, APPROVED_AT);

    expect(await t.db('contacts').whereIn('id', [optedOut!, erased!])).toEqual([]);
    expect(await t.db('suppression_list').orderBy(['reason', 'kind']).select('email_hmac', 'kind', 'tag', 'reason', 'source_ref')).toEqual([
      { email_hmac: suppressionHash(t.ctx.pepper, 'opted.out@example.com'), kind: 'email', tag: 'Do not contact', reason: 'do-not-contact', source_ref: outcome.reference },
      { email_hmac: phoneSuppressionHash(t.ctx.pepper, '+447700900777'), kind: 'phone', tag: 'Do not contact', reason: 'do-not-contact', source_ref: outcome.reference },
      // A phone that cannot be placed is not hashed: nothing is suppressed on a guess.
      { email_hmac: suppressionHash(t.ctx.pepper, 'asked@example.com'), kind: 'email', tag: null, reason: 'purge R1', source_ref: outcome.reference },
    ]);
    expect(JSON.stringify(await t.db('suppression_list').select())).not.toMatch(/opted|7700|@/i);
    expect(await t.db('purge_batches').where({ id: outcome.batchId }).first()).toMatchObject({ counts: { suppressed: 2, do_not_contact: 1 } });
    const report = JSON.stringify(await latestCard(`purge-report:${outcome.batchId}`));
    expect(report).toContain('"label":"Do not contact","value":"1 tagged');
    expect(report).toContain('"label":"Suppressed","value":"1 more who asked for erasure (R1)');

    const imported = await importContacts({ db: t.db, pepper: t.ctx.pepper, actor: 'cli:test', now: APPROVED_AT }, Readable.from([
      `${CONTACT_HEADER.join(',')}\nCRM-NEW,opted.out@EXAMPLE.com,Back Again,,,,,,,,,,,\n`,
    ]));
    expect(imported).toMatchObject({ inserted: 0, suppressed: 1 });
    expect(await t.db('contacts').where({ external_id: 'CRM-NEW' }).first()).toBeUndefined();
  });

  it('skips, never deletes, a contact that became protected or no longer due after approval, and reports why', async () => {
    const ids = await insertContacts(t.db, [lapsed(1), lapsed(2), lapsed(3), lapsed(4), lapsed(5), lapsed(6), { external_id: 'CRM-7', email: 'wrong@example.com', inaccurate: true }, lapsed(8), lapsed(9)]);
    const { batchId, reference } = await approvedPurge();
    await t.db('contacts').where({ id: ids[8] }).update({ processing_restricted: true });
    await t.db('contacts').where({ id: ids[0] }).update({ is_customer: true });
    await t.db('contacts').where({ id: ids[1] }).update({ legal_hold: true });
    await insertRequest(t.db, { contact_id: ids[2]!, status: 'received' });
    await insertExclusion(t.db, ids[3]!);
    await t.db('contacts').where({ id: ids[4] }).update({ last_successful_contact_at: new Date('2026-10-05T10:00:00Z') });
    await t.db('contacts').where({ id: ids[5] }).delete();
    await t.db('contacts').where({ id: ids[6] }).update({ inaccurate: false });

    await runPurges(job, APPROVED_AT, { chunkSize: 3 });
    expect(await t.db('contacts').whereIn('id', ids).orderBy('id').pluck('id')).toEqual([ids[0], ids[1], ids[2], ids[3], ids[4], ids[6], ids[8]]);
    expect(await t.db('contact_tombstones').pluck('contact_id')).toEqual([ids[7]]);
    expect((await itemsOf(t.db, reference)).map((i) => [i.status, i.note])).toEqual([
      ['skipped', 'customer'], ['skipped', 'legal-hold'], ['skipped', 'open-request'], ['skipped', 'excluded'],
      ['skipped', 'no-longer-due'], ['skipped', 'gone'], ['skipped', 'no-longer-due'], ['done', null], ['skipped', 'restricted'],
    ]);
    const report = JSON.stringify(await latestCard(`purge-report:${batchId}`));
    expect(report).toContain('became a customer 1');
    expect(report).toContain('placed under legal hold 1');
    expect(report).toContain('processing restricted since the approval 1');
    expect(report).toContain('its reason no longer applies 2');
    expect(await t.db('audit_events').where({ action: 'purge.chunk' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 3 }]);
  });

  it('re-checks under the lock: an exclusion or request committed while the purge waited for a contact keeps it', async () => {
    const ids = await insertContacts(t.db, [lapsed(1), lapsed(2), lapsed(3)]);
    const { reference } = await approvedPurge();
    // A committee member's exclusion and a new request, both uncommitted: each holds its contact.
    const other = await t.db.transaction();
    let purge: Promise<unknown> | null = null;
    try {
      await insertExclusion(other as unknown as typeof t.db, ids[0]!);
      await insertRequest(other as unknown as typeof t.db, { contact_id: ids[1]!, status: 'received' });
      purge = runPurges(job, APPROVED_AT);
      // The purge's claim waits for those contacts' locks; only then do the two commit.
      for (let waited = 0; ; waited += 1) {
        const blocked = await t.db.raw<{ rows: unknown[] }>(`select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
        if (blocked.rows.length > 0) break;
        if (waited > 500) throw new Error('the purge never waited for the locked contacts');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await other.commit();
    } finally {
      if (!other.isCompleted()) await other.rollback();
      await purge;
    }
    expect(await t.db('contacts').whereIn('id', ids).orderBy('id').pluck('id')).toEqual([ids[0], ids[1]]);
    expect((await itemsOf(t.db, reference)).map((i) => [i.status, i.note])).toEqual([['skipped', 'excluded'], ['skipped', 'open-request'], ['done', null]]);
    // Neither was cascaded away with a deletion.
    expect(await t.db('retention_exclusions').where({ contact_id: ids[0] }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    expect(await t.db('requests').where({ contact_id: ids[1] }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
  });

  it('skips a contact an open request names after approval, however it names it: by contact, by a matched row, or by email', async () => {
    const ids = await insertContacts(t.db, [lapsed(1), lapsed(2), lapsed(3), lapsed(4)]);
    await approvedPurge();
    const [byContact, byMatch, byEmail] = ids as [number, number, number, number];
    const emailOf = String((await t.db('contacts').where({ id: byEmail }).first('email')).email);
    await insertRequest(t.db, { contact_id: byContact, status: 'received' });
    await insertRequest(t.db, { matched: [byMatch], status: 'identity-verified' });
    await insertRequest(t.db, { subject_email: ` ${emailOf.toUpperCase()} `, status: 'received' });
    await runPurges(job, APPROVED_AT, { chunkSize: 2 });
    expect(await t.db('contacts').whereIn('id', ids).orderBy('id').pluck('id')).toEqual([byContact, byMatch, byEmail]);
    expect(await t.db('contact_tombstones').pluck('contact_id')).toEqual([ids[3]]);
  });

  it('resumes where it stopped: a run cut short or a chunk failing half way leaves the rest pending', async () => {
    const ids = await insertContacts(t.db, Array.from({ length: 25 }, (_, i) => lapsed(i + 1)));
    const { reference } = await approvedPurge();
    const first = await runPurges(job, APPROVED_AT, { chunkSize: 10, budgetMs: 0 });
    expect(first).toMatchObject({ deleted: 10, chunks: 1, more: true });
    expect(await t.db('purge_batches').where({ reference }).first()).toMatchObject({ status: 'running' });
    // The second chunk dies at its last statement (as a kill would): none of it may stay.
    await t.db.raw(`create function fail_tombstone() returns trigger language plpgsql as $$
      begin if new.contact_id = ${ids[14]} then raise exception 'simulated crash'; end if; return new; end $$;
      create trigger fail_tombstone before insert on contact_tombstones for each row execute function fail_tombstone()`);
    await expect(runPurges(job, APPROVED_AT, { chunkSize: 10 })).rejects.toThrow(/simulated crash/);
    expect(await t.db('contacts').whereIn('id', ids.slice(10, 20)).count<{ count: number }[]>('* as count')).toEqual([{ count: 10 }]);
    expect((await itemsOf(t.db, reference)).filter((i) => i.status === 'pending')).toHaveLength(15);
    await t.db.raw('drop trigger fail_tombstone on contact_tombstones; drop function fail_tombstone()');
    const rest = await runPurges(job, APPROVED_AT, { chunkSize: 10 });
    expect(rest).toMatchObject({ deleted: 15, finished: [reference] });
    expect(await t.db('contact_tombstones').orderBy('contact_id').pluck('contact_id')).toEqual(ids);
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
  });

  it('reports the counts of the items themselves, summed from what the start and each chunk tallied, across a failed chunk, a resumed run and two runners', async () => {
    const seeds = Array.from({ length: 40 }, (_, i) => lapsed(i + 1, { do_not_contact: i % 7 === 0, legal_hold: i % 11 === 5 }));
    const ids = await insertContacts(t.db, seeds);
    const { batchId } = await approvedPurge();
    await t.db('contacts').whereIn('id', [ids[3]!, ids[17]!]).update({ is_customer: true });
    await t.db('contacts').where({ id: ids[25] }).delete();
    await runPurges(job, APPROVED_AT, { chunkSize: 6, budgetMs: 0 });
    await t.db.raw(`create function fail_tombstone() returns trigger language plpgsql as $$
      begin if new.contact_id = ${ids[9]} then raise exception 'simulated crash'; end if; return new; end $$;
      create trigger fail_tombstone before insert on contact_tombstones for each row execute function fail_tombstone()`);
    await expect(runPurges(job, APPROVED_AT, { chunkSize: 6 })).rejects.toThrow(/simulated crash/);
    await t.db.raw('drop trigger fail_tombstone on contact_tombstones; drop function fail_tombstone()');
    const other = createKnex(t.database.url, { min: 0, max: 2 });
    try {
      await Promise.all([runPurges(job, APPROVED_AT, { chunkSize: 4 }), runPurges({ ...job, db: other }, APPROVED_AT, { chunkSize: 4 })]);
    } finally {
      await other.destroy();
    }
    const counted = tallyPurge(await purgeItemCounts(t.db, batchId));
    expect(counted.deleted).not.toEqual({});
    expect(counted.skipped).toEqual({ customer: 2, gone: 1 });
    expect(counted.keptBack).toEqual({ 'legal-hold': 4 });
    const batch = await t.db('purge_batches').where({ id: batchId }).first();
    expect(batch).toMatchObject({ status: 'done', counts: { deleted: counted.deleted, skipped: counted.skipped, kept_back: counted.keptBack, suppressed: counted.suppressed, do_not_contact: counted.doNotContact } });
    expect(counted.doNotContact).toBe(6);
    expect(await t.db('purge_tallies').where({ batch_id: batchId }).count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
  });

  it('counts the items themselves at the end of a purge whose start left no tally (one running across the upgrade that added it)', async () => {
    const ids = await insertContacts(t.db, Array.from({ length: 12 }, (_, i) => lapsed(i + 1, { do_not_contact: i % 4 === 0 })));
    const { batchId } = await approvedPurge();
    await t.db('contacts').where({ id: ids[2] }).update({ is_subscriber: true });
    await runPurges(job, APPROVED_AT, { chunkSize: 5, budgetMs: 0 });
    await t.db('purge_tallies').where({ batch_id: batchId, start: true }).delete();
    await runPurges(job, APPROVED_AT, { chunkSize: 5 });
    const counted = tallyPurge(await purgeItemCounts(t.db, batchId));
    expect(counted.skipped).toEqual({ subscriber: 1 });
    expect(await t.db('purge_batches').where({ id: batchId }).first()).toMatchObject({ status: 'done', counts: { deleted: { R2: 11 }, skipped: { subscriber: 1 }, suppressed: 3, do_not_contact: 3 } });
  });

  it('processes each contact once when two runners on separate pools share the batch', async () => {
    const ids = await insertContacts(t.db, Array.from({ length: 3000 }, (_, i) => lapsed(i + 1)));
    const { reference } = await approvedPurge();
    const other = createKnex(t.database.url, { min: 0, max: 2 });
    try {
      const results = await Promise.all([runPurges(job, APPROVED_AT, { chunkSize: 100 }), runPurges({ ...job, db: other }, APPROVED_AT, { chunkSize: 100 })]);
      expect(results.map((r) => Number(r?.deleted)).reduce((a, b) => a + b, 0)).toBe(3000);
      expect(results.every((r) => Number(r?.chunks) > 0)).toBe(true);
    } finally {
      await other.destroy();
    }
    expect(await t.db('contacts').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect((await t.db('contact_tombstones').orderBy('contact_id').pluck('contact_id'))).toEqual(ids);
    const chunks = await t.db('audit_events').where({ action: 'purge.chunk' }).select<{ facts: { deleted_count: number } }[]>('facts');
    expect(chunks.reduce((sum, c) => sum + c.facts.deleted_count, 0)).toBe(3000);
    expect(await t.db('audit_events').where({ action: 'purge.done', subject: reference }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
  });

  it('answers a vote on an approved, rejected or superseded purge and changes nothing', async () => {
    await insertContact(t.db, lapsed(1));
    const { proposalId } = await approvedPurge();
    const late = await castVote(t.ctx, slackUser('UMEMBERC'), { proposalId, decision: 'approve' });
    expect(late.ok).toBe(false);
    await addMember(t.db, 'UMEMBERC');
    const again = await castVote(t.ctx, slackUser('UMEMBERC'), { proposalId, decision: 'approve' });
    expect(!again.ok && again.error).toMatch(/already been approved/);
    await runPurges(job, APPROVED_AT);
    const afterRun = await castVote(t.ctx, slackUser('UMEMBERC'), { proposalId, decision: 'reject', reason: 'too late' });
    expect(!afterRun.ok && afterRun.error).toMatch(/already been approved/);
    expect(await t.db('votes').where({ proposal_id: proposalId }).count<{ count: number }[]>('* as count')).toEqual([{ count: 2 }]);
  });

  it('rejects with a reason: nothing is deleted and the candidate list goes', async () => {
    await insertContact(t.db, lapsed(1));
    const outcome = await runRetentionSweep(t.ctx, SWEEP_AT, { by: 'govbot', platform: null });
    if (outcome.kind !== 'proposed') throw new Error(outcome.kind);
    const rejected = await castVote(t.ctx, A, { proposalId: outcome.proposalId, decision: 'reject', reason: 'wait for the CRM clean-up' });
    expect(rejected.ok && rejected.value.message).toMatch(/PURGE-2026-Q4 rejected; nothing will be deleted/);
    expect(await t.db('purge_batches').first()).toMatchObject({ status: 'rejected' });
    expect(fs.existsSync(path.join(dataDir, 'exports', outcome.file))).toBe(false);
    expect(await runPurges(job, APPROVED_AT)).toBeNull();
    expect(await t.db('contacts').count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    const card = JSON.stringify(await latestCard(`purge:${outcome.batchId}`));
    expect(card).toContain('wait for the CRM clean-up');
    expect(card).not.toContain('Approve purge');
  });
});
