import { describe, expect, it } from 'vitest';
import { renderPurgeCard } from '../../src/chat/cards/purge-card.js';
import { dateInTimeZone } from '../../src/domain/dates.js';
import { candidateFileName, candidateListOf, parseContactName, planSweep, purgeBatchRef, recipientFileName, retentionBounds, startOfDay } from '../../src/domain/purge.js';
import { formatDuration, tallyPurge } from '../../src/domain/purge-tally.js';
import type { PurgeView } from '../../src/services/purge/purge-view.js';

describe('purge references', () => {
  it('names a quarter\'s batches PURGE-YYYY-Qn, then -2, -3', () => {
    expect(purgeBatchRef('2026-10-01', 1)).toBe('PURGE-2026-Q4');
    expect(purgeBatchRef('2026-11-15', 2)).toBe('PURGE-2026-Q4-2');
    expect(candidateFileName('PURGE-2026-Q4-2')).toBe('PURGE-2026-Q4-2-candidates.csv');
    expect(() => candidateFileName('../etc/passwd')).toThrow(RangeError);
    expect(() => purgeBatchRef('2026-10-01', 0)).toThrow(RangeError);
  });

  // What a sweep may remove from the exports folder: candidate lists and their drafts, nothing else.
  it.each([
    ['PURGE-2026-Q4-candidates.csv', 'PURGE-2026-Q4-candidates.csv'],
    ['PURGE-2026-Q4-2-candidates.csv', 'PURGE-2026-Q4-2-candidates.csv'],
    ['PURGE-2026-Q4-candidates.csv.0123456789ab.tmp', 'PURGE-2026-Q4-candidates.csv'],
    ['PURGE-2026-Q4-recipient-2-hubspot-crm.csv', null],
    ['DSR-2026-00001-access.zip', null],
    ['PURGE-2026-Q4-candidates.csv.bak', null],
    ['x-PURGE-2026-Q4-candidates.csv', null],
  ])('%s is the candidate list %s', (name, list) => {
    expect(candidateListOf(name)).toBe(list);
  });

  // Art 19: one file per recipient of contact data, named so an operator picks the right one at a glance.
  it.each([
    [{ id: 2, name: 'HubSpot CRM' }, 'PURGE-2026-Q4-recipient-2-hubspot-crm.csv'],
    [{ id: 3, name: 'Microsoft 365 (Exchange, SharePoint)' }, 'PURGE-2026-Q4-recipient-3-microsoft-365-exchange-sharepoint.csv'],
    [{ id: 4, name: '../../etc/passwd' }, 'PURGE-2026-Q4-recipient-4-etc-passwd.csv'],
    [{ id: 5, name: 'Zoë Müller Ltd' }, 'PURGE-2026-Q4-recipient-5-zoe-muller-ltd.csv'],
    [{ id: 6, name: '日本' }, 'PURGE-2026-Q4-recipient-6.csv'],
  ])('names the file of CRM ids for %o %s', (recipient, name) => {
    expect(recipientFileName('PURGE-2026-Q4', recipient)).toBe(name);
  });

  it('refuses a recipient file for what is not a purge or a provider', () => {
    expect(() => recipientFileName('../x', { id: 1, name: 'HubSpot' })).toThrow(RangeError);
    expect(() => recipientFileName('PURGE-2026-Q4', { id: 0, name: 'HubSpot' })).toThrow(RangeError);
  });
});

describe('planSweep', () => {
  it.each([
    [{ open: null, active: null }, { kind: 'propose', supersede: null }],
    [{ open: { reference: 'PURGE-2026-Q4' }, active: null }, { kind: 'remind', reference: 'PURGE-2026-Q4' }],
    [{ open: { reference: 'PURGE-2026-Q4-2' }, active: null }, { kind: 'remind', reference: 'PURGE-2026-Q4-2' }],
    [{ open: { reference: 'PURGE-2026-Q3' }, active: null }, { kind: 'propose', supersede: 'PURGE-2026-Q3' }],
    [{ open: null, active: { reference: 'PURGE-2026-Q3' } }, { kind: 'busy', reference: 'PURGE-2026-Q3' }],
  ])('%j on 2026-11-02 → %j', (state, plan) => {
    expect(planSweep(state, '2026-11-02')).toEqual(plan);
  });
});

describe('parseContactName', () => {
  it.each([
    ['CRM-0042', { kind: 'either', externalId: 'CRM-0042', id: null }],
    ['1234', { kind: 'either', externalId: '1234', id: 1234 }],
    ['#1234', { kind: 'id', id: 1234 }],
  ])('%s', (word, name) => {
    expect(parseContactName(word)).toEqual({ ok: true, value: name });
  });

  it('asks for a contact when none is given', () => {
    const parsed = parseContactName(undefined);
    expect(!parsed.ok && parsed.error).toMatch(/external_id.*register id/);
  });
});

describe('retention bounds', () => {
  it('are the first instants of the days in the zone, summer and winter', () => {
    expect(retentionBounds('2026-10-01', 3, 'Europe/London')).toEqual({
      cutoffStart: new Date('2023-09-30T23:00:00Z'), asOfEnd: new Date('2026-10-01T23:00:00Z'),
    });
    expect(startOfDay('2026-01-01', 'Europe/London')).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('finds the real start of a day whose midnight the clocks skip', () => {
    // Santiago moved its clocks from 00:00 to 01:00 on 2023-09-03.
    const start = startOfDay('2023-09-03', 'America/Santiago');
    expect(dateInTimeZone(start, 'America/Santiago')).toBe('2023-09-03');
    expect(dateInTimeZone(new Date(start.getTime() - 1), 'America/Santiago')).toBe('2023-09-02');
  });
});

describe('tallyPurge and formatDuration', () => {
  it('sums items the ways the card and report show them', () => {
    const tally = tallyPurge([
      { reason: 'R2', status: 'pending', note: null, count: 5 },
      { reason: 'R2', status: 'excluded', note: 'legal-hold', count: 2 },
      { reason: 'R1', status: 'done', note: 'suppressed', count: 1 },
      { reason: 'R3', status: 'skipped', note: 'customer', count: 1 },
      { reason: 'R2', status: 'done', note: 'do-not-contact', count: 4 },
      { reason: 'R2', status: 'excluded', note: 'restricted', count: 1 },
    ]);
    expect(tally).toEqual({
      pending: { R2: 5 }, keptBack: { 'legal-hold': 2, restricted: 1 }, deleted: { R1: 1, R2: 4 }, skipped: { customer: 1 },
      listed: { R2: 9, R1: 1, R3: 1 }, suppressed: 5, doNotContact: 4, candidates: 14,
    });
  });

  it.each([[850, '850 ms'], [12_400, '12 s'], [185_000, '3 min 5 s'], [7_440_000, '2 h 4 min']])('%i ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('the purge card', () => {
  const view: PurgeView = {
    batch: { id: 7, reference: 'PURGE-2026-Q4', as_of: '2026-10-01', status: 'proposed', counts: {}, candidate_file: 'PURGE-2026-Q4-candidates.csv', candidate_sha256: 'ab'.repeat(32), created_at: new Date(), started_at: null, finished_at: null },
    proposal: { id: 3, kind: 'purge', request_id: null, purge_batch_id: 7, quorum: 2, status: 'open', proposed_by: 'govbot', requested_by: null, summary: {}, decision_reason: null, decided_at: null, created_at: new Date() },
    votes: [{ proposal_id: 3, member: 'slack:UA', decision: 'approve', reason: null, created_at: new Date() }],
    counts: [{ reason: 'R2', status: 'pending', note: null, count: 1200 }, { reason: 'R4', status: 'pending', note: null, count: 3 }, { reason: 'R2', status: 'excluded', note: 'open-request', count: 2 }],
    sample: [{ contactId: 41, email: 'jo.bloggs@example.com', reason: 'R2' }],
    doNotContactListed: 17,
    recipients: [],
    retentionYears: 3,
    platform: 'slack',
  };

  it('shows counts by reason, what is kept back, a masked sample, the list by hash, votes and verb-first buttons', () => {
    const card = renderPurgeCard(view);
    const text = JSON.stringify(card);
    expect(card).toMatchObject({ key: 'purge:7', reference: 'PURGE-2026-Q4', status: 'awaiting the committee' });
    expect(text).toContain('1,203 contacts');
    expect(text).toContain('R2 Retention period over, no successful contact: 1,200');
    expect(text).toContain('R4 No legitimate interest remains: 3');
    expect(text).toContain('Subject of an open request 2');
    expect(card.facts).toContainEqual({ label: 'Do not contact', value: '17 tagged "Do not contact": only their suppression record remains (keyed hashes of email and phone, the tag, the reason, this reference)' });
    expect(text).toContain('#41 j***@example.com (R2)');
    expect(text).not.toContain('jo.bloggs');
    expect(text).toContain('ab'.repeat(32));
    expect(text).toContain('1 of 2 approvals so far');
    expect(card.sections.flatMap((s) => s.buttons ?? []).map((b) => b.label)).toEqual(['Approve purge', 'Reject purge']);
    expect(text).toContain('2026-10-01 Thu');
  });

  it('loses its buttons once decided', () => {
    const card = renderPurgeCard({ ...view, batch: { ...view.batch, status: 'rejected' }, proposal: { ...view.proposal!, status: 'rejected', decision_reason: 'not now' }, sample: [] });
    expect(card.sections.flatMap((s) => s.buttons ?? [])).toEqual([]);
    expect(JSON.stringify(card)).toContain('not now');
  });
});
