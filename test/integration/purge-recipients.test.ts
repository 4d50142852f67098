import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/card.js';
import { retentionBounds } from '../../src/domain/purge.js';
import { suppressionHash } from '../../src/domain/suppression.js';
import type { JobContext } from '../../src/jobs/job.js';
import { runPurges } from '../../src/jobs/purge.js';
import { sendRecipientReminders } from '../../src/jobs/recipient-reminders.js';
import { castVote } from '../../src/services/cast-vote.js';
import { runRetentionSweep } from '../../src/services/purge/sweep.js';
import { verifyAudit } from '../../src/services/verify-audit.js';
import { addMember, insertContacts, insertRequest, type ContactSeed } from '../support/purge-fixtures.js';
import { commandDriver, createTestServices, slackUser, type CommandDriver, type TestServices } from '../support/service-context.js';

/**
 * The purge and Article 19: each provider receiving contact data is owed a notice of what a purge
 * deleted, with a 0600 file of the CRM ids it must delete, until recorded as told (and chased);
 * and nothing about a purged subject is left behind: earlier export files, free text on requests.
 */
const TZ = 'Europe/London';
const SWEEP_AT = new Date('2026-10-01T08:00:00Z');
const APPROVED_AT = new Date('2026-10-08T10:00:00Z');
const OLD = new Date(retentionBounds('2026-10-01', 3, TZ).cutoffStart.getTime() - 86_400_000);
const A = slackUser('UMEMBERA');
const B = slackUser('UMEMBERB');

let t: TestServices;
let d: CommandDriver;
let dataDir: string;
let job: JobContext;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-purge-recipients-'));
  t = await createTestServices({ env: { DATA_DIR: dataDir, TIMEZONE: TZ, APPROVAL_QUORUM: '2' }, now: APPROVED_AT.toISOString() });
  d = commandDriver(t);
  job = { db: t.db, config: t.ctx.config, logger: t.ctx.logger, pepper: t.ctx.pepper };
  await addMember(t.db, 'UMEMBERA');
  await addMember(t.db, 'UMEMBERB');
  await t.db('processors').insert([
    { name: 'HubSpot CRM', purpose: 'CRM', next_review_on: '2027-06-01', created_by: 'slack:UCHAIR', receives_contact_data: true },
    { name: 'Microsoft 365', purpose: 'email and documents', next_review_on: '2027-06-01', created_by: 'slack:UCHAIR', receives_contact_data: true },
    { name: 'Payroll Ltd', purpose: 'salaries', next_review_on: '2027-06-01', created_by: 'slack:UCHAIR', receives_contact_data: false },
  ]);
});
afterEach(async () => {
  await t.drop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const lapsed = (n: number, extra: Partial<ContactSeed> = {}): ContactSeed => ({ external_id: `CRM-${n}`, email: `person.${n}@example.com`, first_collected_at: OLD, ...extra });

async function approvedPurge(): Promise<{ batchId: number; reference: string }> {
  const outcome = await runRetentionSweep(t.ctx, SWEEP_AT, { by: 'govbot', platform: null });
  if (outcome.kind !== 'proposed') throw new Error(`expected a proposal, got ${outcome.kind}`);
  await castVote(t.ctx, A, { proposalId: outcome.proposalId, decision: 'approve' });
  await castVote(t.ctx, B, { proposalId: outcome.proposalId, decision: 'approve' });
  return { batchId: outcome.batchId, reference: outcome.reference };
}

async function latestCard(key: string): Promise<string> {
  return JSON.stringify((await t.db('outbox').where({ card_key: key }).orderBy('id', 'desc').first<{ payload: { card: Card } }>('payload')).payload.card);
}

const exportsDir = () => path.join(dataDir, 'exports');

describe('Art 19 recipients of a purge', () => {
  it('owes each provider receiving contact data a notice, with a 0600 file of the CRM ids to delete, each listed once across a failed chunk and a resumed run', async () => {
    const seeds = Array.from({ length: 25 }, (_, i) => lapsed(i + 1));
    seeds[3] = lapsed(4, { external_id: null });
    seeds[7] = lapsed(8, { external_id: '=HYPERLINK("x")' });
    const ids = await insertContacts(t.db, seeds);
    const { batchId, reference } = await approvedPurge();
    expect(await d.say(A, 'dsr', `recipients ${reference}`)).toContain(`${reference} owes no recipient a notice yet`);

    expect(await runPurges(job, APPROVED_AT, { chunkSize: 10, budgetMs: 0 })).toMatchObject({ deleted: 10, more: true });
    // The next chunk dies at its last row, as a kill would: none of its CRM ids may be kept.
    await t.db.raw(`create function fail_tombstone() returns trigger language plpgsql as $$
      begin if new.contact_id = ${ids[19]} then raise exception 'simulated crash'; end if; return new; end $$;
      create trigger fail_tombstone before insert on contact_tombstones for each row execute function fail_tombstone()`);
    await expect(runPurges(job, APPROVED_AT, { chunkSize: 10 })).rejects.toThrow(/simulated crash/);
    await t.db.raw('drop trigger fail_tombstone on contact_tombstones; drop function fail_tombstone()');
    expect(await runPurges(job, APPROVED_AT, { chunkSize: 10 })).toMatchObject({ deleted: 15, finished: [reference] });
    expect(await runPurges(job, APPROVED_AT)).toBeNull();

    const notices = await t.db('purge_recipient_notices as n').join('processors as p', 'p.id', 'n.processor_id').orderBy('p.name')
      .select('p.id', 'p.name', 'n.owed_count', 'n.listed_count', 'n.file_name', 'n.file_sha256', 'n.told_at');
    expect(notices.map((n) => [n.name, n.owed_count, n.listed_count, n.told_at])).toEqual([['HubSpot CRM', 25, 24, null], ['Microsoft 365', 25, 24, null]]);
    expect(notices.map((n) => n.file_name)).toEqual([`${reference}-recipient-${notices[0].id}-hubspot-crm.csv`, `${reference}-recipient-${notices[1].id}-microsoft-365.csv`]);
    const expected = ['external_id', ...seeds.filter((s) => s.external_id !== null).map((s) => (s.external_id!.startsWith('=') ? `"'=HYPERLINK(""x"")"` : s.external_id))].join('\n') + '\n';
    for (const notice of notices) {
      const file = path.join(exportsDir(), notice.file_name);
      expect(fs.readFileSync(file, 'utf8')).toBe(expected);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(createHash('sha256').update(fs.readFileSync(file)).digest('hex')).toBe(notice.file_sha256);
    }
    // The files are now the only copy of the erased contacts' CRM ids.
    expect(await t.db('purge_items').where({ batch_id: batchId }).whereNotNull('external_id').count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(await t.db('purge_erased_crm_ids').where({ batch_id: batchId }).count<{ count: number }[]>('* as count')).toEqual([{ count: 0 }]);
    expect(fs.existsSync(path.join(exportsDir(), `${reference}-candidates.csv`))).toBe(false);

    const report = await latestCard(`purge-report:${batchId}`);
    expect(report).toContain('Recipients to tell (Art 19)');
    expect(report).toContain(`HubSpot CRM: 25 contacts deleted, owed; ${notices[0].file_name} (24 CRM ids, sha256 ${notices[0].file_sha256}); 1 had no CRM id`);
    expect(report).toContain(`/dsr recipients ${reference} told <provider>`);
    expect(report).not.toContain('Payroll');
    expect(report).not.toContain('CRM-1"');
    const done = await t.db('audit_events').where({ action: 'purge.done', subject: reference }).first<{ facts: Record<string, unknown> }>('facts');
    expect(done.facts).toMatchObject({ recipients_owed_count: 2 });

    const shown = await d.say(A, 'dsr', `recipients ${reference}`);
    expect(shown).toMatch(/HubSpot CRM: 25 contact\(s\) deleted, owed since 2026-10-08; CRM ids in PURGE-2026-Q4-recipient-\d+-hubspot-crm\.csv/);
    expect(shown).not.toContain('Payroll');
  });

  it('records a recipient told with /dsr recipients PURGE-… told, removes its file, updates the report; reminders chase the rest once a week', async () => {
    await insertContacts(t.db, [lapsed(1), lapsed(2)]);
    const { batchId, reference } = await approvedPurge();
    await runPurges(job, APPROVED_AT);
    const files = () => fs.readdirSync(exportsDir()).filter((f) => f.includes('-recipient-')).sort();
    expect(files()).toHaveLength(2);

    expect(await d.say(B, 'dsr', `recipients ${reference.toLowerCase()} told hubspot crm`)).toBe(`Recorded HubSpot CRM as told of ${reference}'s deletions; its file of CRM ids was removed.`);
    expect(await d.say(B, 'dsr', `recipients ${reference} told HubSpot CRM`)).toContain('was already recorded as told');
    expect(files()).toEqual([expect.stringMatching(/-microsoft-365\.csv$/)]);
    expect(await t.db('purge_recipient_notices').whereNotNull('told_at').select('told_by')).toEqual([{ told_by: 'slack:UMEMBERB' }]);
    expect(await latestCard(`purge-report:${batchId}`)).toMatch(/HubSpot CRM: 2 contacts deleted, told 2026-10-08 by .*UMEMBERB/);
    expect(await t.db('audit_events').where({ action: 'purge.recipient_told', subject: reference }).count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);

    const unknown = await d.say(B, 'dsr', `recipients ${reference} told Salesforce`);
    expect(unknown).toContain('"Salesforce" is not on the register of service providers; its names are: HubSpot CRM, Microsoft 365, Payroll Ltd');
    expect(await d.say(B, 'dsr', `recipients ${reference} told Payroll Ltd`)).toContain(`${reference} owes Payroll Ltd no notice: the recipients owed are HubSpot CRM, Microsoft 365`);
    expect(await d.say(B, 'dsr', 'recipients PURGE-2025-Q1 told HubSpot CRM')).toContain('There is no purge PURGE-2025-Q1');
    expect(await t.db('purge_recipient_notices').whereNotNull('told_at').count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);

    const context = { ...job };
    const notices = async () => (await t.db('outbox').whereRaw(`payload->>'text' like ?`, [`${reference}:%`]).pluck('payload')).map((p: { text: string }) => p.text);
    expect(await sendRecipientReminders(context, new Date('2026-10-12T08:00:00Z'), '2026-10-12')).toEqual({ sent: 0, alreadySent: 0 });
    expect(await sendRecipientReminders(context, new Date('2026-10-16T08:00:00Z'), '2026-10-16')).toEqual({ sent: 1, alreadySent: 0 });
    expect(await sendRecipientReminders(context, new Date('2026-10-17T08:00:00Z'), '2026-10-17')).toEqual({ sent: 0, alreadySent: 1 });
    expect(await notices()).toEqual([`${reference}: Microsoft 365 is still owed an Art 19 notice of the deletion of 2 contact(s) (owed since 2026-10-08, 8 days); its CRM ids are in its file beside the candidate list. Tell them, then record it: /dsr recipients ${reference} told Microsoft 365`]);
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
  });
});

describe('nothing left behind by a purge', () => {
  it('deletes purged subjects\' earlier export files and scrubs the free text on their closed requests, audited by counts; a subject still on the register keeps theirs', async () => {
    await insertContacts(t.db, [
      lapsed(1, { email: 'Gone.Person@example.com' }), lapsed(2, { email: 'shared@example.com' }),
      { external_id: 'CRM-3', email: 'shared@example.com', is_customer: true },
    ]);
    const hmacGone = suppressionHash(t.ctx.pepper, 'gone.person@example.com');
    const hmacShared = suppressionHash(t.ctx.pepper, 'shared@example.com');
    const requestGone = await insertRequest(t.db, { status: 'completed' });
    const requestShared = await insertRequest(t.db, { status: 'completed' });
    await t.db('requests').where({ id: requestGone }).update({ subject_hmac: hmacGone, subject_email: 'Gone.Person@example.com', subject_name: 'Gone Person', agent_name: 'Sol Icitor', status_reason: 'sent to Gone Person at home' });
    await t.db('requests').where({ id: requestShared }).update({ subject_hmac: hmacShared, subject_email: 'shared@example.com', agent_name: 'Kept Agent', status_reason: 'kept' });
    fs.mkdirSync(exportsDir(), { recursive: true });
    for (const [name, requestId, hmac] of [['DSR-2026-0001.json', requestGone, hmacGone], ['DSR-2026-0002.json', requestShared, hmacShared]] as const) {
      fs.writeFileSync(path.join(exportsDir(), name), '{"email":"someone@example.com"}', { mode: 0o600 });
      await t.db('export_files').insert({ name, request_id: requestId, subject_hmac: hmac, sha256: 'a'.repeat(64), written_at: SWEEP_AT, delete_after: new Date('2026-11-30T00:00:00Z') });
    }
    const { reference } = await approvedPurge();
    await runPurges(job, APPROVED_AT);
    expect(await t.db('contacts').pluck('external_id')).toEqual(['CRM-3']);

    expect(fs.existsSync(path.join(exportsDir(), 'DSR-2026-0001.json'))).toBe(false);
    expect(await t.db('export_files').where({ name: 'DSR-2026-0001.json' }).first()).toMatchObject({ deleted_because: 'erasure' });
    expect(await t.db('requests').where({ id: requestGone }).first()).toMatchObject({ subject_email: null, subject_name: null, agent_name: null, status_reason: 'removed after erasure' });
    // The same address is still on the register (a customer): that subject is not forgotten.
    expect(fs.existsSync(path.join(exportsDir(), 'DSR-2026-0002.json'))).toBe(true);
    expect(await t.db('requests').where({ id: requestShared }).first()).toMatchObject({ subject_email: 'shared@example.com', agent_name: 'Kept Agent', status_reason: 'kept' });

    const chunk = await t.db('audit_events').where({ action: 'purge.chunk', subject: reference }).first<{ facts: Record<string, unknown> }>('facts');
    expect(chunk.facts).toMatchObject({ deleted_count: 2, subjects_forgotten_count: 1, export_files_deleted_count: 1, requests_scrubbed_count: 1, earlier_requests_cleared_count: 1 });
    expect(JSON.stringify(chunk.facts)).not.toMatch(/@|Sol Icitor|Gone Person|DSR-2026-0001.json/);
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
  });

  it('forgets a subject whose two rows fall in consecutive chunks, claimed while the chunk before is written, once both are gone', async () => {
    await insertContacts(t.db, [lapsed(1, { email: 'twice@example.com' }), lapsed(2, { email: 'Twice@Example.com' }), lapsed(3)]);
    const hmac = suppressionHash(t.ctx.pepper, 'twice@example.com');
    const requestId = await insertRequest(t.db, { status: 'completed' });
    await t.db('requests').where({ id: requestId }).update({ subject_hmac: hmac, subject_email: 'twice@example.com', agent_name: 'Sol Icitor', status_reason: 'sent' });
    fs.mkdirSync(exportsDir(), { recursive: true });
    fs.writeFileSync(path.join(exportsDir(), 'DSR-2026-0003.json'), '{}', { mode: 0o600 });
    await t.db('export_files').insert({ name: 'DSR-2026-0003.json', request_id: requestId, subject_hmac: hmac, sha256: 'a'.repeat(64), written_at: SWEEP_AT, delete_after: new Date('2026-11-30T00:00:00Z') });
    const { reference } = await approvedPurge();
    // One contact a chunk, the first slow to write: the second row is claimed meanwhile, and must
    // not be written until the first has committed, or neither would see the address gone.
    const [first] = await t.db('contacts').orderBy('id').pluck('id');
    await t.db.raw(`create function slow_tombstone() returns trigger language plpgsql as $$
      begin if new.contact_id = ${Number(first)} then perform pg_sleep(0.5); end if; return new; end $$;
      create trigger slow_tombstone before insert on contact_tombstones for each row execute function slow_tombstone()`);
    try {
      expect(await runPurges(job, APPROVED_AT, { chunkSize: 1 })).toMatchObject({ deleted: 3, chunks: 3, finished: [reference] });
    } finally {
      await t.db.raw('drop trigger slow_tombstone on contact_tombstones; drop function slow_tombstone()');
    }
    expect(fs.existsSync(path.join(exportsDir(), 'DSR-2026-0003.json'))).toBe(false);
    expect(await t.db('requests').where({ id: requestId }).first()).toMatchObject({ subject_email: null, agent_name: null });
    const chunks = await t.db('audit_events').where({ action: 'purge.chunk', subject: reference }).orderBy('id').select<{ facts: { first_contact_id: number; subjects_forgotten_count: number } }[]>('facts');
    // In chunk order, and only the chunk that deleted the last row with the address forgot its subject.
    expect(chunks.map((c) => c.facts.subjects_forgotten_count)).toEqual([0, 1, 0]);
    expect(chunks.map((c) => c.facts.first_contact_id)).toEqual([...chunks.map((c) => c.facts.first_contact_id)].sort((a, b) => a - b));
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
  });
});
