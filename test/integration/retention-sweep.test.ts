import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dateInTimeZone } from '../../src/domain/dates.js';
import { retentionBounds } from '../../src/domain/purge.js';
import { retentionExclusion, retentionReason, type RetentionContact } from '../../src/domain/retention.js';
import { retentionSweepJob } from '../../src/jobs/retention-sweep.js';
import { runScheduledJob } from '../../src/jobs/run-job.js';
import { createKnex } from '../../src/register/database.js';
import { purgeItemCounts } from '../../src/register/purge-items.js';
import { runRetentionSweep } from '../../src/services/purge/sweep.js';
import { insertContact, insertContacts, insertExclusion, insertRequest, itemsOf, type ContactSeed } from '../support/purge-fixtures.js';
import { createTestServices, type TestServices } from '../support/service-context.js';

/**
 * The sweep's one SQL statement against the pure rules of domain/retention.ts: the same boundaries
 * (exactly three years is not over three; a successful contact on or after the cutoff saves; days
 * are days in Europe/London), the same protections in the same order, on thousands of contacts.
 */
const TZ = 'Europe/London';
const AS_OF = '2026-10-01';
const SWEEP_AT = new Date('2026-10-01T08:00:00Z'); // 09:00 BST, the scheduled slot
const policy = { asOf: AS_OF, retentionYears: 3 };
const { cutoffStart, asOfEnd } = retentionBounds(AS_OF, 3, TZ);
const DAY = 86_400_000;

let t: TestServices;
let dataDir: string;
const sweep = (at = SWEEP_AT, by = 'govbot') => runRetentionSweep(t.ctx, at, { by, platform: null });

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-sweep-'));
  t = await createTestServices({ env: { DATA_DIR: dataDir, TIMEZONE: TZ, RETENTION_YEARS: '3', APPROVAL_QUORUM: '2' }, now: SWEEP_AT.toISOString() });
});
afterEach(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A lapsed contact (R2 unless something saves it) collected `offsetMs` from the cutoff's first instant. */
const lapsed = (email: string, offsetMs: number, extra: Partial<ContactSeed> = {}): ContactSeed => ({
  email, first_collected_at: new Date(cutoffStart.getTime() + offsetMs), ...extra,
});

describe('retention sweep boundaries', () => {
  it('proposes R2 only for data held over three years without successful contact within them', async () => {
    const ids = await insertContacts(t.db, [
      lapsed('day-before@example.com', -DAY),
      lapsed('last-minute-before@example.com', -60_000), // 23:59 BST on the day before the cutoff
      lapsed('exactly-three-years@example.com', 0), // midnight BST on the cutoff day: not over three years
      lapsed('contacted-on-cutoff@example.com', -DAY, { last_successful_contact_at: cutoffStart }),
      lapsed('contacted-before@example.com', -DAY, { last_successful_contact_at: new Date(cutoffStart.getTime() - 1) }),
      lapsed('customer@example.com', -DAY, { is_customer: true }),
      lapsed('subscriber@example.com', -DAY, { is_subscriber: true }),
      { email: 'unknown-date@example.com', first_collected_at: null },
      { email: 'unknown-date-seen-long-ago@example.com', first_collected_at: null, created_at: new Date(cutoffStart.getTime() - 60_000) },
      { email: 'unknown-date-seen-on-cutoff@example.com', first_collected_at: null, created_at: cutoffStart },
    ]);
    const outcome = await sweep();
    expect(outcome).toMatchObject({ kind: 'proposed', reference: 'PURGE-2026-Q4' });
    expect(await itemsOf(t.db, 'PURGE-2026-Q4')).toEqual([
      { contact_id: ids[0], reason: 'R2', status: 'pending', note: null },
      { contact_id: ids[1], reason: 'R2', status: 'pending', note: null },
      { contact_id: ids[4], reason: 'R2', status: 'pending', note: null },
      { contact_id: ids[8], reason: 'R2', status: 'pending', note: null },
    ]);
  });

  it('gives each reason, never R4 for a customer, and keeps back legal holds, restricted contacts, open requests, erased and excluded contacts with their protection', async () => {
    const r1 = await insertContact(t.db, { email: 'asked@example.com' });
    await insertRequest(t.db, { type: 'erasure', status: 'completed', matched: [r1], approvedAction: true });
    const r3 = await insertContact(t.db, { email: 'wrong@example.com', inaccurate: true, is_customer: true });
    const r4 = await insertContact(t.db, { email: 'ended@example.com', legitimate_interest_ended_at: new Date(asOfEnd.getTime() - 1) });
    const r4Customer = await insertContact(t.db, { email: 'customer@example.com', is_customer: true, legitimate_interest_ended_at: new Date(asOfEnd.getTime() - DAY) });
    const restricted = await insertContact(t.db, lapsed('restricted@example.com', -DAY, { processing_restricted: true }));
    const restrictedAndHeld = await insertContact(t.db, { email: 'restricted-held@example.com', inaccurate: true, processing_restricted: true, legal_hold: true });
    const r4Tomorrow = await insertContact(t.db, { email: 'tomorrow@example.com', legitimate_interest_ended_at: asOfEnd });
    const held = await insertContact(t.db, lapsed('held@example.com', -DAY, { legal_hold: true }));
    const open = await insertContact(t.db, lapsed('open@example.com', -DAY));
    await insertRequest(t.db, { contact_id: open, status: 'identity-verified' });
    const openByEmail = await insertContact(t.db, lapsed('by.email@example.com', -DAY));
    await insertRequest(t.db, { subject_email: ' By.Email@Example.com ', status: 'received' });
    const closedRequest = await insertContact(t.db, lapsed('closed@example.com', -DAY));
    await insertRequest(t.db, { contact_id: closedRequest, status: 'withdrawn' });
    const excluded = await insertContact(t.db, { email: 'excluded@example.com', inaccurate: true });
    await insertExclusion(t.db, excluded);
    const erased = await insertContact(t.db, { email: 'erased@example.com', inaccurate: true });
    await t.db('contact_tombstones').insert({ contact_id: erased, reason: 'R1' });
    const notApproved = await insertContact(t.db, { email: 'not-approved@example.com' });
    await insertRequest(t.db, { type: 'erasure', status: 'completed', contact_id: notApproved });

    await sweep();
    const items = new Map((await itemsOf(t.db, 'PURGE-2026-Q4')).map((i) => [i.contact_id, i]));
    expect(items.get(r1)).toMatchObject({ reason: 'R1', status: 'pending' });
    expect(items.get(r3)).toMatchObject({ reason: 'R3', status: 'pending' });
    expect(items.get(r4)).toMatchObject({ reason: 'R4', status: 'pending' });
    expect(items.get(r4Tomorrow)).toBeUndefined();
    expect(items.get(r4Customer)).toBeUndefined();
    expect(items.get(restricted)).toMatchObject({ reason: 'R2', status: 'excluded', note: 'restricted' });
    expect(items.get(restrictedAndHeld)).toMatchObject({ reason: 'R3', status: 'excluded', note: 'legal-hold' });
    expect(items.get(held)).toMatchObject({ reason: 'R2', status: 'excluded', note: 'legal-hold' });
    expect(items.get(open)).toMatchObject({ reason: 'R2', status: 'excluded', note: 'open-request' });
    expect(items.get(openByEmail)).toMatchObject({ status: 'excluded', note: 'open-request' });
    expect(items.get(closedRequest)).toMatchObject({ reason: 'R2', status: 'pending' });
    expect(items.get(excluded)).toMatchObject({ reason: 'R3', status: 'excluded', note: 'excluded' });
    expect(items.get(erased)).toMatchObject({ reason: 'R3', status: 'excluded', note: 'erased' });
    expect(items.get(notApproved)).toBeUndefined();
  });

  it('agrees with retentionReason and retentionExclusion on thousands of synthetic contacts', async () => {
    const random = mulberry32(20261001);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const near = (base: Date) => new Date(base.getTime() + pick([-400 * DAY, -DAY, -3_600_000, -60_000, -1, 0, 1, 60_000, 3_600_000, DAY - 1, DAY, 300 * DAY]));
    const count = 3000;
    const seeds: ContactSeed[] = [];
    for (let i = 0; i < count; i += 1) {
      seeds.push({
        email: `c${i}@example.com`,
        is_customer: random() < 0.15, is_subscriber: random() < 0.15,
        first_collected_at: random() < 0.1 ? null : near(cutoffStart),
        created_at: random() < 0.5 ? SWEEP_AT : near(cutoffStart),
        processing_restricted: random() < 0.04,
        last_successful_contact_at: random() < 0.4 ? null : near(cutoffStart),
        inaccurate: random() < 0.08, legal_hold: random() < 0.04,
        legitimate_interest_ended_at: random() < 0.7 ? null : near(asOfEnd),
      });
    }
    const ids = await insertContacts(t.db, seeds);
    const flags = ids.map(() => ({ erasureRequested: false, openRequest: false, excluded: false, erased: false }));
    for (const [i, id] of ids.entries()) {
      const f = flags[i]!;
      const roll = random();
      if (roll < 0.03) { f.openRequest = true; await insertRequest(t.db, { contact_id: id, status: 'received' }); }
      else if (roll < 0.05) { f.openRequest = true; await insertRequest(t.db, { matched: [id], status: 'action-approved' }); }
      else if (roll < 0.07) { f.openRequest = true; await insertRequest(t.db, { subject_email: `C${i}@EXAMPLE.com`, status: 'identity-verified' }); }
      else if (roll < 0.10) { f.erasureRequested = true; await insertRequest(t.db, { type: 'erasure', status: 'completed', matched: [id], approvedAction: true }); }
      else if (roll < 0.11) await insertRequest(t.db, { type: 'erasure', status: 'withdrawn', matched: [id], approvedAction: true });
      if (random() < 0.05) { f.excluded = true; await insertExclusion(t.db, id); }
      if (random() < 0.03) { f.erased = true; await t.db('contact_tombstones').insert({ contact_id: id, reason: 'R1' }); }
    }
    const outcome = await sweep();
    expect(outcome.kind).toBe('proposed');
    const actual = new Map((await itemsOf(t.db, 'PURGE-2026-Q4')).map((i) => [i.contact_id, i]));
    let pending = 0;
    for (const [i, seed] of seeds.entries()) {
      const day = (v: Date | string | null | undefined) => (v instanceof Date ? dateInTimeZone(v, TZ) : null);
      const contact: RetentionContact = {
        ...flags[i]!, isCustomer: seed.is_customer ?? false, isSubscriber: seed.is_subscriber ?? false,
        firstCollectedOn: day(seed.first_collected_at), firstSeenOn: day(seed.created_at)!, lastSuccessfulContactOn: day(seed.last_successful_contact_at),
        inaccurate: seed.inaccurate ?? false, legitimateInterestEndedOn: day(seed.legitimate_interest_ended_at), legalHold: seed.legal_hold ?? false,
        restricted: seed.processing_restricted ?? false,
      };
      const unprotected = { ...contact, legalHold: false, restricted: false, erased: false, openRequest: false, excluded: false };
      const reason = retentionReason(unprotected, policy);
      const protection = retentionExclusion(contact);
      const expected = reason === null ? undefined : { contact_id: ids[i], reason, status: protection ? 'excluded' : 'pending', note: protection };
      expect(actual.get(ids[i]!), `contact ${i}: ${JSON.stringify(contact)}`).toEqual(expected);
      // The pure function's own verdict: deleted exactly when the item is pending.
      expect(retentionReason(contact, policy) !== null).toBe(expected?.status === 'pending');
      if (expected?.status === 'pending') pending += 1;
    }
    expect(actual.size).toBeGreaterThan(300);
    expect(pending).toBeGreaterThan(200);
    // The counts the sweep recorded in the same statement are those of the items it stored, and the
    // list names every item once, in order of register id.
    if (outcome.kind !== 'proposed') return;
    const [{ swept_counts: recorded }] = await t.db('purge_batches').where({ id: outcome.batchId }).select('swept_counts');
    expect(recorded).toEqual(await purgeItemCounts(t.db, outcome.batchId));
    const listed = fs.readFileSync(path.join(dataDir, 'exports', outcome.file), 'utf8').split('\n').filter(Boolean).slice(1).map((line) => Number(line.split(',')[0]));
    expect(listed).toEqual([...actual.keys()].sort((a, b) => a - b));
  }, 60_000);
});

describe('retention sweep proposals', () => {
  it('writes CRM ids that a spreadsheet would run as formulas neutralised, and commas and quotes quoted', async () => {
    const ids = ['=HYPERLINK("http://x.example","y")', '+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR', 'plain, "quoted"'];
    await insertContacts(t.db, ids.map((id, i) => lapsed(`f${i}@example.com`, -DAY, { external_id: id })));
    const outcome = await sweep();
    if (outcome.kind !== 'proposed') throw new Error(outcome.kind);
    const content = fs.readFileSync(path.join(dataDir, 'exports', 'PURGE-2026-Q4-candidates.csv'), 'utf8');
    const cells = content.split('\n').filter(Boolean).slice(1).map((line) => line.replace(/^\d+,/, '').replace(/,R2,$/, ''));
    expect(cells).toEqual([`"'=HYPERLINK(""http://x.example"",""y"")"`, `'+1`, `'-2+3`, `'@SUM(A1)`, `'\tTAB`, `"'\rCR"`, `"plain, ""quoted"""`]);
  });

  it('opens one proposal with a card and an 0600 candidate list, audited without personal data', async () => {
    await insertContacts(t.db, [lapsed('a.person@example.com', -DAY, { external_id: 'CRM-1' }), { email: 'kept@example.com', inaccurate: true, legal_hold: true, external_id: 'CRM-2' }]);
    const outcome = await sweep();
    if (outcome.kind !== 'proposed') throw new Error(outcome.kind);
    const proposal = await t.db('proposals').where({ kind: 'purge' }).first();
    expect(proposal).toMatchObject({ status: 'open', quorum: 2, requested_by: null, purge_batch_id: outcome.batchId });
    const file = path.join(dataDir, 'exports', 'PURGE-2026-Q4-candidates.csv');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const content = fs.readFileSync(file, 'utf8');
    expect(content.split('\n').filter(Boolean)).toEqual(['contact_id,external_id,reason,kept_back', expect.stringMatching(/^\d+,CRM-1,R2,$/), expect.stringMatching(/^\d+,CRM-2,R3,legal-hold$/)]);
    expect(content).not.toContain('@');
    expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(outcome.sha256);
    const card = JSON.stringify((await t.db('outbox').where({ card_key: `purge:${outcome.batchId}` }).first()).payload);
    expect(card).toContain('PURGE-2026-Q4');
    expect(card).toContain('Approve purge');
    expect(card).toContain('Reject purge');
    expect(card).toContain('a***@example.com');
    expect(card).not.toContain('a.person@example.com');
    expect(card).toContain(outcome.sha256);
    expect(card).toContain('Retention period over, no successful contact');
    const audit = await t.db('audit_events').where({ action: 'purge.proposed' }).first();
    expect(JSON.stringify(audit)).not.toContain('@');
  });

  it('reminds instead of stacking while this quarter\'s proposal is undecided, and supersedes a stale one', async () => {
    await insertContact(t.db, lapsed('a@example.com', -DAY));
    expect((await sweep()).kind).toBe('proposed');
    expect(await sweep(new Date('2026-11-02T10:00:00Z'))).toEqual({ kind: 'reminded', reference: 'PURGE-2026-Q4' });
    expect(await t.db('proposals').where({ kind: 'purge' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    const notice = await t.db('outbox').whereNull('card_key').orderBy('id', 'desc').first();
    expect(notice.payload.text).toContain('PURGE-2026-Q4 still awaits');

    const next = await sweep(new Date('2027-01-01T09:00:00Z'));
    expect(next).toMatchObject({ kind: 'proposed', reference: 'PURGE-2027-Q1', superseded: 'PURGE-2026-Q4' });
    expect(await t.db('purge_batches').orderBy('id').select('reference', 'status')).toEqual([
      { reference: 'PURGE-2026-Q4', status: 'superseded' }, { reference: 'PURGE-2027-Q1', status: 'proposed' },
    ]);
    expect(await t.db('proposals').where({ kind: 'purge' }).orderBy('id').pluck('status')).toEqual(['superseded', 'open']);
    expect(fs.existsSync(path.join(dataDir, 'exports', 'PURGE-2026-Q4-candidates.csv'))).toBe(false);
  });

  it('numbers a second sweep of a decided quarter PURGE-YYYY-Qn-2, and waits while an approved purge runs', async () => {
    await insertContact(t.db, lapsed('a@example.com', -DAY));
    await sweep();
    await t.db('proposals').where({ kind: 'purge' }).update({ status: 'rejected', decision_reason: 'test' });
    await t.db('purge_batches').update({ status: 'rejected' });
    expect(await sweep(new Date('2026-10-05T10:00:00Z'))).toMatchObject({ kind: 'proposed', reference: 'PURGE-2026-Q4-2' });
    await t.db('proposals').where({ kind: 'purge', status: 'open' }).update({ status: 'approved' });
    await t.db('purge_batches').where({ reference: 'PURGE-2026-Q4-2' }).update({ status: 'approved' });
    expect(await sweep(new Date('2026-10-06T10:00:00Z'))).toEqual({ kind: 'busy', reference: 'PURGE-2026-Q4-2' });
  });

  it('proposes nothing when nothing is due, saying so in the channel', async () => {
    await insertContact(t.db, { email: 'fresh@example.com', first_collected_at: new Date('2026-01-01T00:00:00Z') });
    await insertContact(t.db, lapsed('held@example.com', -DAY, { legal_hold: true }));
    expect(await sweep()).toMatchObject({ kind: 'nothing', asOf: AS_OF });
    expect(await t.db('purge_batches').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect((await t.db('outbox').orderBy('id', 'desc').first()).payload.text).toMatch(/no contact is due.*1 would be/);
    expect(await t.db('audit_events').where({ action: 'purge.swept' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
  });

  it('makes one proposal when two service processes race the same quarter', async () => {
    await insertContact(t.db, lapsed('a@example.com', -DAY));
    const other = createKnex(t.database.url, { min: 0, max: 2 });
    try {
      // Chairs on two replicas at once: the advisory lock serialises them, the second reminds.
      const manual = await Promise.all([sweep(), runRetentionSweep({ ...t.ctx, db: other }, SWEEP_AT, { by: 'govbot', platform: null })]);
      expect(manual.map((o) => o.kind).sort()).toEqual(['proposed', 'reminded']);
      // The schedule firing on both: the (job, period) claim lets one run the slot.
      const job = { db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper };
      const outcomes = await Promise.all([runScheduledJob(retentionSweepJob, job, SWEEP_AT), runScheduledJob(retentionSweepJob, { ...job, db: other }, SWEEP_AT)]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['done', 'skipped']);
      expect(await t.db('purge_batches').count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
      expect(await t.db('proposals').where({ kind: 'purge' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    } finally {
      await other.destroy();
    }
  });
});

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}
