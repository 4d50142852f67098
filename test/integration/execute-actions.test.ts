import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previousValueDigest } from '../../src/domain/suppression.js';
import type { Card } from '../../src/chat/card.js';
import { parseConfig } from '../../src/config.js';
import { planAction, type RectifiableField } from '../../src/domain/action-plans.js';
import type { RequestStatus } from '../../src/domain/request-states.js';
import type { RequestType } from '../../src/domain/request-types.js';
import { phoneSuppressionHash, suppressionHash } from '../../src/domain/suppression.js';
import { executeActions, MAX_ACTION_ATTEMPTS } from '../../src/jobs/execute-actions.js';
import type { JobContext } from '../../src/jobs/job.js';
import { createLogger } from '../../src/logger.js';
import { queueAction, type ActionRow } from '../../src/register/actions.js';
import { createKnex, type Db } from '../../src/register/database.js';
import { insertProposal } from '../../src/register/proposals.js';
import { getRequest, insertRequest, updateRequest, type RequestRow } from '../../src/register/requests.js';
import { writeExportFile } from '../../src/services/actions/export-file.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const PEPPER = 'test-pepper-0123456789abcdef';
const NOW = new Date('2026-11-26T10:00:00Z');
let sequence = 0;

async function seedContact(db: Db, fields: Record<string, unknown> & { email: string }): Promise<number> {
  const [row] = await db('contacts').insert({ external_id: `CRM-${++sequence}`, ...fields }).returning('id');
  return Number((row as { id: number }).id);
}

interface Seed { type: RequestType; email: string; name?: string; contactIds: number[]; controller?: string; corrections?: Partial<Record<RectifiableField, string>>; kind?: string; params?: Record<string, unknown> }

/** A request whose action the committee has approved, queued for execute-actions. */
async function seedApproved(db: Db, seed: Seed): Promise<{ request: RequestRow; action: ActionRow }> {
  return db.transaction(async (trx) => {
    const n = ++sequence;
    const plan = planAction({ type: seed.type, contactIds: seed.contactIds, controller: seed.controller ?? null, ...(seed.corrections ? { corrections: seed.corrections } : {}) });
    const inserted = await insertRequest(trx, {
      reference: `DSR-2026-${String(n).padStart(4, '0')}`, type: seed.type, subject_email: seed.email, subject_name: seed.name ?? 'Jane Doe',
      subject_hmac: suppressionHash(PEPPER, seed.email), contact_id: seed.contactIds[0] ?? null, received_via: 'email', agent_name: null,
      controller: seed.controller ?? null, received_on: '2026-11-20', due_on: '2026-12-21', possible_repeat_of: null, requested_by: 'slack:UCLERK',
      details: { platform: 'slack', matchedContactIds: seed.contactIds, maskedSubject: 'j***@example.com', ...(seed.corrections ? { corrections: seed.corrections } : {}) },
    });
    const request = await updateRequest(trx, inserted.id, { status: 'action-approved' });
    const proposal = await insertProposal(trx, { kind: 'action', request_id: request.id, quorum: 1, proposed_by: 'govbot', requested_by: 'slack:UCLERK', summary: { reference: request.reference } });
    await trx('proposals').where({ id: proposal.id }).update({ status: 'approved' });
    const action = await queueAction(trx, { proposal_id: proposal.id, request_id: request.id, kind: (seed.kind ?? plan.kind) as ActionRow['kind'], params: seed.params ?? plan.params });
    return { request, action };
  });
}

async function actionRow(db: Db, id: number): Promise<ActionRow> {
  return db('actions').where({ id }).first<ActionRow>();
}

async function latestCard(db: Db, requestId: number): Promise<Card> {
  const row = await db('outbox').where({ card_key: `request:${requestId}` }).orderBy('id', 'desc').first<{ payload: { card: Card } }>('payload');
  return row.payload.card;
}

function cardText(card: Card): string {
  return JSON.stringify(card);
}

describe('execute-actions', () => {
  let t: TestDatabase;
  let dataDir: string;
  let ctx: JobContext;

  beforeAll(async () => {
    t = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-actions-'));
    const config = parseConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, dataDir);
    ctx = { db: t.db, config, logger: createLogger(config), pepper: PEPPER };
  });
  afterAll(async () => {
    await t.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('exports an access request as JSON, mode 0600, with its SHA-256 on the card and nothing personal in chat', async () => {
    const id = await seedContact(t.db, { email: 'jane.export@example.com', full_name: 'Jane Export', phone: '+44 7700 900123', address: '1 High St', is_customer: true });
    await t.db('retention_exclusions').insert({ contact_id: id, reason: 'legal hold', excluded_by: 'slack:UCHAIR' });
    const other = await seedContact(t.db, { email: 'someone.else@example.com', full_name: 'Someone Else' });
    const { request, action } = await seedApproved(t.db, { type: 'access', email: 'jane.export@example.com', name: 'Jane Export', contactIds: [id] });
    // Imported after intake, under another spelling of the address: matched when the action runs.
    const later = await seedContact(t.db, { email: 'Jane.Export@Example.com', external_id: 'CRM-LATER', full_name: 'J Export' });
    await t.db('proposals').insert({ kind: 'identity', request_id: request.id, quorum: 1, status: 'approved', proposed_by: 'govbot', decision_reason: 'committee-internal: passport seen', decided_at: NOW, summary: '{}' });
    await t.db('requests').where({ id: request.id }).update({ status_reason: 'committee-internal note' });

    expect(await executeActions(ctx, NOW)).toEqual({ executed: 1, skipped: 0, failed: 0 });

    const file = path.join(dataDir, 'exports', `${request.reference}.json`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const bytes = fs.readFileSync(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const data = JSON.parse(bytes.toString('utf8')) as { register: { contacts: Record<string, unknown>[]; external_ids: string[]; retention_exclusions: unknown[] }; requests: Record<string, unknown>[]; supplementary_information: Record<string, unknown> };
    expect(data.register.contacts.map((c) => c.id)).toEqual([id, later]);
    expect(data.register.external_ids).toEqual([expect.stringMatching(/^CRM-\d+$/), 'CRM-LATER']);
    expect(data.register.contacts[0]).toMatchObject({ id, email: 'jane.export@example.com', full_name: 'Jane Export', phone: '+44 7700 900123', address: '1 High St', is_customer: true, processing_restricted: false });
    expect(Object.keys(data.register.contacts[0] ?? {}).sort()).toEqual(Object.keys(await t.db('contacts').columnInfo()).sort());
    expect(data.register.retention_exclusions).toEqual([expect.objectContaining({ contact_id: id, reason: 'legal hold' })]);
    expect(data.requests).toEqual([expect.objectContaining({
      reference: request.reference, subject_email: 'jane.export@example.com', subject_name: 'Jane Export', status: 'action-approved',
      decisions: [{ decision: 'action', outcome: 'approved', decided_at: null }, { decision: 'identity', outcome: 'approved', decided_at: expect.any(String) }],
    })]);
    expect(bytes.toString('utf8')).not.toContain('committee-internal');
    // Art 15(1)(a)-(h), 15(2), from src/domain/notice-facts.json
    const info = data.supplementary_information;
    expect(Object.keys(info)).toEqual(['controller', 'purposes_and_lawful_bases', 'categories_of_personal_data', 'recipients', 'retention', 'your_rights', 'complaints', 'source_of_the_data', 'automated_decision_making', 'international_transfers']);
    expect(info.purposes_and_lawful_bases).toContainEqual(expect.objectContaining({ purpose: expect.stringContaining('referee'), lawful_basis: expect.stringContaining('legitimate interest') }));
    expect(info.recipients).toMatchObject({ names: ['Microsoft (Office 365)', 'HubSpot (CRM)', 'LinkedIn (advertising)'] });
    expect(JSON.stringify(info.retention)).toContain('held your data for over 3 years');
    expect(info.complaints).toContain("Information Commissioner's Office");
    expect(info.international_transfers).toContain('United States');
    expect(bytes.toString('utf8')).not.toContain('someone.else');
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const done = await actionRow(t.db, action.id);
    expect(done).toMatchObject({ status: 'done', attempts: 1 });
    expect(done.result).toMatchObject({ sha256, export_file: `${request.reference}.json`, contact_ids: [id, later], matched_since_intake_count: 1, delete_on: '2026-12-26' });
    expect(String(done.result?.summary)).toBe(`Export ${request.reference}.json written for the individual (sha256 ${sha256}); nothing was sent in chat. Send it to the individual, never to an agent. It will be deleted on 2026-12-26 (EXPORT_RETENTION_DAYS).`);
    expect(await t.db('export_files').where({ name: `${request.reference}.json` }).first()).toMatchObject({ request_id: request.id, subject_hmac: request.subject_hmac, sha256, deleted_at: null });
    expect((await getRequest(t.db, request.id)).status).toBe('completed');
    const card = await latestCard(t.db, request.id);
    expect(cardText(card)).toContain(sha256);
    expect(cardText(card)).not.toContain('jane.export@');
    expect(card.status).toBe('completed');
    const event = await t.db('audit_events').where({ action: 'action.executed', subject: request.reference }).first<{ facts: Record<string, unknown> }>('facts');
    expect(event.facts).toMatchObject({ action_id: action.id, kind: 'export', sha256 });
    expect(await t.db('contacts').where({ id: other }).first()).toBeDefined();
  });

  it('writes export files atomically: a retry replaces the same file, and a loose folder is tightened', async () => {
    const directory = path.join(dataDir, 'exports-retry');
    fs.mkdirSync(directory, { mode: 0o755 });
    const first = await writeExportFile(directory, 'DSR-2026-0999.json', '{"try":1}');
    const second = await writeExportFile(directory, 'DSR-2026-0999.json', '{"try":2}');
    expect(second.path).toBe(first.path);
    expect(fs.readFileSync(second.path, 'utf8')).toBe('{"try":2}');
    expect(second.sha256).toBe(createHash('sha256').update('{"try":2}').digest('hex'));
    expect(fs.readdirSync(directory)).toEqual(['DSR-2026-0999.json']);
    expect(fs.statSync(second.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(directory).mode & 0o777).toBe(0o700);
    await expect(writeExportFile(directory, '../escape.json', '{}')).rejects.toThrow('refusing');
  });

  it('exports a portability request as CSV: every column, one row per record, then the request\'s own record', async () => {
    const id = await seedContact(t.db, { email: 'port@example.com', full_name: 'Pat, "Port"', company: 'Acme' });
    const { request } = await seedApproved(t.db, { type: 'portability', email: 'port@example.com', name: 'Pat Port', contactIds: [id] });
    await executeActions(ctx, NOW);
    const file = path.join(dataDir, 'exports', `${request.reference}.csv`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]?.startsWith('source,id,external_id,email,full_name,phone,address,company,')).toBe(true);
    expect(lines[1]).toContain(`register,${id},`);
    expect(lines[1]).toContain('"Pat, ""Port"""');
    expect(lines[2]).toMatch(new RegExp(`^request ${request.reference},,,port@example.com,Pat Port,`));
  });

  it('rectifies only the corrected fields of the matched records', async () => {
    const id = await seedContact(t.db, { email: 'rect@example.com', full_name: 'Old Name', phone: '+44 1', company: 'Keep Ltd', updated_at: new Date('2026-01-01T00:00:00Z') });
    const untouched = await seedContact(t.db, { email: 'bystander@example.com', full_name: 'Old Name' });
    const { request, action } = await seedApproved(t.db, { type: 'rectification', email: 'rect@example.com', contactIds: [id], corrections: { phone: '', full_name: 'New Name' } });
    await executeActions(ctx, NOW);
    const row = await t.db('contacts').where({ id }).first();
    expect(row).toMatchObject({ full_name: 'New Name', phone: null, company: 'Keep Ltd', email: 'rect@example.com', updated_at: NOW });
    expect(await t.db('contacts').where({ id: untouched }).first()).toMatchObject({ full_name: 'Old Name' });
    const after = await getRequest(t.db, request.id);
    expect(after.status).toBe('completed');
    expect(after.details.corrections).toBeUndefined();
    const done = await actionRow(t.db, action.id);
    expect(done.params).toEqual({ contactIds: [id], correctedFields: ['full_name', 'phone'] });
    // The previous values are provable from the audit trail, as keyed digests, never as values.
    const event = await t.db('audit_events').where({ action: 'action.executed', subject: request.reference }).first();
    expect(event.facts.previous_value_digests).toEqual([{ contact_id: id, digests: [previousValueDigest(PEPPER, 'full_name', 'Old Name'), previousValueDigest(PEPPER, 'phone', '+44 1')] }]);
    expect(JSON.stringify(event.facts)).not.toMatch(/Old Name|\+44 1/);
    expect(String(done.result?.summary)).toContain('Rectified full_name, phone on 1 register record');
    expect(JSON.stringify(done.result)).not.toContain('New Name');
  });

  it('erases: rows gone with what hangs off them, tombstones, suppression entry, request forgets the subject', async () => {
    const a = await seedContact(t.db, { email: 'erase.me@example.com', full_name: 'Erin Erase', external_id: 'CRM-ERASE-1' });
    const b = await seedContact(t.db, { email: 'Erase.Me@Example.com', full_name: 'Erin E', external_id: null });
    const keep = await seedContact(t.db, { email: 'keep@example.com' });
    await t.db('retention_exclusions').insert({ contact_id: a, reason: 'dispute', excluded_by: 'slack:UCHAIR' });
    const { request, action } = await seedApproved(t.db, { type: 'erasure', email: 'erase.me@example.com', name: 'Erin Erase', contactIds: [a, b], corrections: { full_name: 'x' } });

    await executeActions(ctx, NOW);

    expect(await t.db('contacts').whereIn('id', [a, b])).toEqual([]);
    expect(await t.db('contacts').where({ id: keep }).first()).toBeDefined();
    expect(await t.db('retention_exclusions').where({ contact_id: a })).toEqual([]);
    const tombstones = await t.db('contact_tombstones').whereIn('contact_id', [a, b]).orderBy('contact_id');
    expect(tombstones).toEqual([
      expect.objectContaining({ contact_id: a, reason: 'R1', request_id: request.id, suppressed: true, external_id_hash: createHmac('sha256', PEPPER).update('CRM-ERASE-1').digest('hex') }),
      expect.objectContaining({ contact_id: b, reason: 'R1', request_id: request.id, suppressed: true, external_id_hash: null }),
    ]);
    expect(await t.db('suppression_list').where({ email_hmac: request.subject_hmac }).first()).toMatchObject({ reason: 'erasure', source_ref: request.reference });
    const after = await getRequest(t.db, request.id);
    expect(after).toMatchObject({ status: 'completed', subject_email: null, subject_name: null, contact_id: null });
    expect(after.details).toEqual({ platform: 'slack', matchedContactIds: [a, b], maskedSubject: 'j***@example.com' });
    const card = await latestCard(t.db, request.id);
    expect(card.sections.find((s) => s.heading === 'Done')?.text).toMatch(/^Erased 2 register records \(#\d+, #\d+\)/);
    expect(cardText(card)).not.toMatch(/erase\.me|Erin/i);
    expect((await actionRow(t.db, action.id)).status).toBe('done');
  });

  it('keeps a contact under legal hold (Art 17(3)(e)), erases the rest, and says the individual must be told why', async () => {
    const held = await seedContact(t.db, { email: 'held.erase@example.com', phone: '07700 900001', legal_hold: true });
    const free = await seedContact(t.db, { email: 'held.erase@example.com', phone: '+44 7700 900002', do_not_contact: true });
    const { request } = await seedApproved(t.db, { type: 'erasure', email: 'held.erase@example.com', contactIds: [held, free] });

    await executeActions(ctx, NOW);

    expect(await t.db('contacts').where({ id: held }).first()).toMatchObject({ email: 'held.erase@example.com', legal_hold: true });
    expect(await t.db('contacts').where({ id: free }).first()).toBeUndefined();
    expect(await t.db('contact_tombstones').where({ contact_id: held }).first()).toBeUndefined();
    // Suppressed: the email (tagged, the erased row was "Do not contact") and the erased row's phone, never the held row's phone.
    const entries = await t.db('suppression_list').where({ source_ref: request.reference }).orderBy('kind').select('email_hmac', 'kind', 'tag', 'reason');
    expect(entries).toEqual([
      { email_hmac: suppressionHash(PEPPER, 'held.erase@example.com'), kind: 'email', tag: 'Do not contact', reason: 'erasure' },
      { email_hmac: phoneSuppressionHash(PEPPER, '07700900002'), kind: 'phone', tag: 'Do not contact', reason: 'erasure' },
    ]);
    expect((await getRequest(t.db, request.id)).details).toMatchObject({ heldContactIds: [held] });
    const done = (await latestCard(t.db, request.id)).sections.find((s) => s.heading === 'Done')?.text ?? '';
    expect(done).toMatch(new RegExp(`^Erased 1 register record \\(#${free}\\)`));
    expect(done).toContain(`Kept 1 register record (#${held}) under legal hold (Art 17(3)(e): needed for legal claims): tell the individual what was kept and why, then record it with /dsr told ${request.reference} legal-hold.`);
  });

  it('leaves no export file and no free text behind after an erasure, audited without personal data', async () => {
    const id = await seedContact(t.db, { email: 'gone.for.good@example.com', full_name: 'Gwen Gone' });
    const access = await seedApproved(t.db, { type: 'access', email: 'gone.for.good@example.com', name: 'Gwen Gone', contactIds: [id] });
    await executeActions(ctx, NOW);
    const exportFile = path.join(dataDir, 'exports', `${access.request.reference}.json`);
    expect(fs.existsSync(exportFile)).toBe(true);
    // The committee's notes on the earlier request, which may name the subject.
    await t.db('requests').where({ id: access.request.id }).update({ agent_name: 'Gwen\'s solicitor', status_reason: 'Gwen phoned twice', details: t.db.raw(`details || '{"corrections":{"full_name":"Gwen G"}}'::jsonb`) });
    await t.db('request_pauses').insert({ request_id: access.request.id, kind: 'identity', note: 'Gwen sent a passport', paused_on: '2026-11-21', resumed_on: '2026-11-22', paused_by: 'slack:UCLERK' });
    await t.db('identity_checks').insert({ request_id: access.request.id, status: 'approved', evidence_note: 'passport of Gwen Gone' });
    const erasure = await seedApproved(t.db, { type: 'erasure', email: 'Gone.For.Good@example.com', name: 'Gwen Gone', contactIds: [id] });
    await t.db('votes').insert({ proposal_id: (await t.db('proposals').where({ request_id: erasure.request.id }).first()).id, member: 'slack:UB', decision: 'approve', reason: 'Gwen asked by letter' });

    await executeActions(ctx, NOW);

    expect(fs.existsSync(exportFile)).toBe(false);
    expect(await t.db('export_files').where({ name: `${access.request.reference}.json` }).first()).toMatchObject({ deleted_because: 'erasure', deleted_at: NOW });
    const text = JSON.stringify([
      await t.db('requests').whereIn('id', [access.request.id, erasure.request.id]),
      await t.db('request_pauses').where({ request_id: access.request.id }),
      await t.db('identity_checks').where({ request_id: access.request.id }),
      await t.db('proposals').whereIn('request_id', [access.request.id, erasure.request.id]),
      await t.db('votes'),
    ]);
    expect(text).not.toMatch(/gwen|gone\.for\.good|passport/i);
    const facts = (await actionRow(t.db, erasure.action.id)).result;
    expect(facts).toMatchObject({ export_files_deleted_count: 1, requests_scrubbed_count: 1, pause_notes_scrubbed_count: 1, identity_notes_scrubbed_count: 1, vote_reasons_scrubbed_count: 1 });
    expect(JSON.stringify(await t.db('audit_events').where({ subject: erasure.request.reference }))).not.toMatch(/gwen|gone\.for/i);
  });

  it('erases all the same when an earlier export file is already gone from the disk', async () => {
    const id = await seedContact(t.db, { email: 'file.gone@example.com', full_name: 'Fay Gone' });
    const access = await seedApproved(t.db, { type: 'access', email: 'file.gone@example.com', contactIds: [id] });
    await executeActions(ctx, NOW);
    fs.rmSync(path.join(dataDir, 'exports', `${access.request.reference}.json`));
    const erasure = await seedApproved(t.db, { type: 'erasure', email: 'file.gone@example.com', contactIds: [id] });

    expect(await executeActions(ctx, NOW)).toEqual({ executed: 1, skipped: 0, failed: 0 });

    expect(await actionRow(t.db, erasure.action.id)).toMatchObject({ status: 'done', attempts: 1, result: expect.objectContaining({ export_files_deleted_count: 1 }) });
    expect(await t.db('export_files').where({ name: `${access.request.reference}.json` }).first()).toMatchObject({ deleted_because: 'erasure', deleted_at: NOW });
    expect(await t.db('contacts').where({ id }).first()).toBeUndefined();
  });

  it('lists held contacts as kept in the erasure plan', () => {
    const plan = planAction({ type: 'erasure', contactIds: [1, 2, 3], controller: null, heldContactIds: [2] });
    expect(plan.description).toMatch(/^Delete register records #1, #3 /);
    expect(plan.description).toContain('Keep register record #2 under legal hold: Art 17(3)(e) exempts data needed for legal claims; the individual must be told what was kept and why.');
    expect(plan.params).toEqual({ contactIds: [1, 2, 3], suppress: true });
  });

  it('forgets the subject on their earlier, closed requests too, but not on open ones', async () => {
    const earlier = await seedApproved(t.db, { type: 'access', email: 'twice@example.com', name: 'Tess Twice', contactIds: [] });
    await t.db('requests').where({ id: earlier.request.id }).update({ status: 'completed', closed_at: NOW });
    const open = await seedApproved(t.db, { type: 'objection', email: 'Twice@Example.com', name: 'Tess Twice', contactIds: [] });
    await t.db('actions').where({ id: open.action.id }).update({ status: 'done' });
    const c = await seedContact(t.db, { email: 'twice@example.com', full_name: 'Tess Twice' });
    const { request } = await seedApproved(t.db, { type: 'erasure', email: 'twice@example.com', name: 'Tess Twice', contactIds: [c] });

    await executeActions(ctx, NOW);

    expect(await getRequest(t.db, request.id)).toMatchObject({ status: 'completed', subject_email: null, subject_name: null });
    expect(await getRequest(t.db, earlier.request.id)).toMatchObject({ subject_email: null, subject_name: null });
    expect(await getRequest(t.db, open.request.id)).toMatchObject({ subject_email: 'Twice@Example.com', subject_name: 'Tess Twice' });
  });

  it('restricts processing on the matched records only', async () => {
    const id = await seedContact(t.db, { email: 'restrict@example.com' });
    const other = await seedContact(t.db, { email: 'free@example.com' });
    const { request } = await seedApproved(t.db, { type: 'restriction', email: 'restrict@example.com', contactIds: [id] });
    await executeActions(ctx, NOW);
    expect(await t.db('contacts').where({ id }).first()).toMatchObject({ processing_restricted: true, do_not_contact: false, updated_at: NOW });
    expect(await t.db('contacts').where({ id: other }).first()).toMatchObject({ processing_restricted: false });
    expect((await getRequest(t.db, request.id)).status).toBe('completed');
    expect(await t.db('suppression_list').where({ email_hmac: request.subject_hmac }).first()).toBeUndefined();
  });

  it('tags "Do not contact", keeps the record, and adds email and phone suppression entries with the tag and the request type as reason', async () => {
    const id = await seedContact(t.db, { email: 'object@example.com', phone: '020 7946 0123' });
    const { request } = await seedApproved(t.db, { type: 'objection', email: 'object@example.com', contactIds: [id] });
    await executeActions(ctx, NOW);
    expect(await t.db('contacts').where({ id }).first()).toMatchObject({ do_not_contact: true, processing_restricted: false, email: 'object@example.com', phone: '020 7946 0123' });
    expect(await t.db('suppression_list').where({ email_hmac: request.subject_hmac }).first()).toMatchObject({ kind: 'email', tag: 'Do not contact', reason: 'objection', source_ref: request.reference });
    expect(await t.db('suppression_list').where({ email_hmac: phoneSuppressionHash(PEPPER, '+442079460123') }).first()).toMatchObject({ kind: 'phone', tag: 'Do not contact', reason: 'objection', source_ref: request.reference });
  });

  it('records a forwarding to the controller and changes nothing in the register', async () => {
    const id = await seedContact(t.db, { email: 'customer.data@example.com' });
    const before = await t.db('contacts').where({ id }).first();
    const { request, action } = await seedApproved(t.db, { type: 'erasure', email: 'customer.data@example.com', contactIds: [id], controller: 'Acme Ltd' });
    await executeActions(ctx, NOW);
    expect(await t.db('contacts').where({ id }).first()).toEqual(before);
    expect(String((await actionRow(t.db, action.id)).result?.summary)).toBe('Recorded as passed to Acme Ltd, the controller of this data, on 2026-11-26; nothing was changed in the register. Assist them as they ask.');
    expect((await getRequest(t.db, request.id)).status).toBe('completed');
  });

  it('does nothing for a request withdrawn after approval, and says so', async () => {
    const id = await seedContact(t.db, { email: 'changed.mind@example.com' });
    const { request, action } = await seedApproved(t.db, { type: 'erasure', email: 'changed.mind@example.com', contactIds: [id] });
    await t.db.transaction((trx) => updateRequest(trx, request.id, { status: 'withdrawn' satisfies RequestStatus, closed_at: NOW }));
    expect(await executeActions(ctx, NOW)).toEqual({ executed: 0, skipped: 1, failed: 0 });
    expect(await t.db('contacts').where({ id }).first()).toBeDefined();
    expect(await t.db('contact_tombstones').where({ contact_id: id }).first()).toBeUndefined();
    expect(await t.db('suppression_list').where({ email_hmac: request.subject_hmac }).first()).toBeUndefined();
    const after = await getRequest(t.db, request.id);
    expect(after).toMatchObject({ status: 'withdrawn', subject_email: 'changed.mind@example.com' });
    expect(await actionRow(t.db, action.id)).toMatchObject({ status: 'done', result: { summary: 'not carried out: request was withdrawn', carried_out: false } });
  });

  it('retries a failing action, then marks it failed, without holding up the next one', async () => {
    const id = await seedContact(t.db, { email: 'fine@example.com' });
    const bad = await seedApproved(t.db, { type: 'restriction', email: 'broken@example.com', contactIds: [], params: { contactIds: 'not a list' } });
    const good = await seedApproved(t.db, { type: 'restriction', email: 'fine@example.com', contactIds: [id] });

    expect(await executeActions(ctx, NOW)).toEqual({ executed: 1, skipped: 0, failed: 1 });
    expect(await actionRow(t.db, good.action.id)).toMatchObject({ status: 'done' });
    expect(await actionRow(t.db, bad.action.id)).toMatchObject({ status: 'queued', attempts: 1, last_error: expect.stringContaining('malformed params') });
    expect((await latestCard(t.db, bad.request.id)).sections.find((s) => s.heading === 'Retrying')?.text).toContain('malformed params');
    expect((await getRequest(t.db, bad.request.id)).status).toBe('action-approved');

    for (let run = 2; run <= MAX_ACTION_ATTEMPTS; run += 1) expect(await executeActions(ctx, NOW)).toMatchObject({ failed: 1 });
    expect(await actionRow(t.db, bad.action.id)).toMatchObject({ status: 'failed', attempts: MAX_ACTION_ATTEMPTS });
    expect((await latestCard(t.db, bad.request.id)).sections.map((s) => s.heading)).toContain('Action failed');
    expect(await t.db('audit_events').where({ action: 'action.failed', subject: bad.request.reference })).toHaveLength(1);
    expect(await executeActions(ctx, NOW)).toEqual({ executed: 0, skipped: 0, failed: 0 });
  });

  it('two runs at once on separate pools carry out each action exactly once', async () => {
    const seeded: number[] = [];
    for (let i = 0; i < 24; i += 1) {
      const id = await seedContact(t.db, { email: `many${i}@example.com` });
      seeded.push((await seedApproved(t.db, { type: i % 2 ? 'restriction' : 'do-not-contact', email: `many${i}@example.com`, contactIds: [id] })).action.id);
    }
    const pools = [createKnex(t.url, { min: 0, max: 2 }), createKnex(t.url, { min: 0, max: 2 })];
    try {
      const results = await Promise.all(pools.map((db) => executeActions({ ...ctx, db }, NOW)));
      expect(results.reduce((sum, r) => sum + Number(r.executed), 0)).toBe(24);
      expect(results.every((r) => Number(r.failed) === 0)).toBe(true);
    } finally {
      await Promise.all(pools.map((db) => db.destroy()));
    }
    const rows = await t.db('actions').whereIn('id', seeded).select<ActionRow[]>('status', 'attempts');
    expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
    const events = await t.db('audit_events').where({ action: 'action.executed' }).select<{ facts: { action_id: number } }[]>('facts');
    const counts = new Map<number, number>();
    for (const e of events) counts.set(e.facts.action_id, (counts.get(e.facts.action_id) ?? 0) + 1);
    expect(seeded.map((id) => counts.get(id))).toEqual(seeded.map(() => 1));
  });
});
