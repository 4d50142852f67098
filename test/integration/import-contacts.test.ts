import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_HEADER } from '../../src/domain/contact-row.js';
import { externalIdHash, phoneSuppressionHash, suppressionHash } from '../../src/domain/suppression.js';
import { GovbotError } from '../../src/errors.js';
import { countContacts, findContactsByEmail, getContact } from '../../src/register/contacts.js';
import { addSuppression } from '../../src/register/suppression-list.js';
import { formatImportReport, importContacts, type ImportDeps, type ImportReport } from '../../src/services/import-contacts.js';
import { syntheticRow, writeContactsCsv } from '../support/contacts-csv.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const PEPPER = 'test-pepper-0123456789abcdef';
const FIRST_RUN = new Date('2026-11-01T09:00:00.000Z');
const SECOND_RUN = new Date('2026-11-02T09:00:00.000Z');
const HEADER = CONTACT_HEADER.join(',');

/** Line numbers on the right; lines 4–5 are one row (a quoted line break), line 7 is blank. */
const SMALL = [
  `\uFEFF${HEADER}`, //                                                                         1
  'CRM-1,alice@example.com,Alice Smith,,,,yes,no,2020-01-15,,no,,no,no', //                    2 good
  'CRM-2,bob@,Bob Jones,,,,,,,,,,,', //                                                         3 bad email
  'CRM-3,Chloe@Example.com,Chloé Brown,,"1 High Street', //                                      4 good,
  'Leeds",,1,1,2019-06-01T10:00:00+01:00,2025-01-01,0,,TRUE,', //                               5 multi-line
  'CRM-4,Dev.Patel@Example.COM,Dev Patel,,,,,,,,,,,', //                                        6 suppressed
  '', //                                                                                        7 blank
  'CRM-5,eve@example.com,Eve Evans,,,,,,2026-02-30,,,,,', //                                    8 bad date
  'CRM-6,farah@example.com,Farah Khan', //                                                      9 too few fields
  'CRM-7,gareth@example.com,"Wright, Gareth",,,"Wright & Co ""Ltd""",,,,,,,,', //              10 good
  ',hana@example.com,Hana Nowak,,,,,,,,,,,', //                                                 11 no external_id
];

let t: TestDatabase;
let deps: ImportDeps;
beforeEach(async () => {
  t = await createTestDatabase();
  deps = { db: t.db, pepper: PEPPER, actor: 'cli:test', now: FIRST_RUN };
});
afterEach(async () => { await t.drop(); });

function csv(lines: readonly string[], eol = '\n'): Readable {
  return Readable.from([Buffer.from(lines.join(eol) + eol)]);
}

async function suppress(email: string): Promise<void> {
  await addSuppression(t.db, { emailHmac: suppressionHash(PEPPER, email), reason: 'erasure' });
}

async function auditFacts(): Promise<{ action: string; facts: Record<string, unknown> }[]> {
  return t.db('audit_events').select('action', 'facts').orderBy('id');
}

async function updatedAt(externalId: string): Promise<string> {
  const row = await t.db('contacts').select('updated_at').where({ external_id: externalId }).first<{ updated_at: Date }>();
  return row.updated_at.toISOString();
}

describe('importContacts: a small file', () => {
  it.each([['LF', '\n'], ['CRLF', '\r\n']])('loads good rows and reports bad ones by line (%s)', async (_name, eol) => {
    await suppress('dev.patel@example.com');
    const report = await importContacts(deps, csv(SMALL, eol));
    expect(report).toEqual({
      inserted: 3, updated: 0, unchanged: 0, suppressed: 1, erasedEarlier: 0, erased: [], rejectedCount: 4,
      rejected: [
        { line: 3, reason: 'email "bob@" is not a valid email address (has no dot in the part after the @)' },
        { line: 8, reason: 'first_collected_at "2026-02-30" is not a date; use YYYY-MM-DD or an ISO timestamp with a zone such as 2024-03-01T09:30:00Z' },
        { line: 9, reason: 'it has 3 fields where the header has 14; a value containing a comma must be in double quotes' },
        { line: 11, reason: "external_id is empty; every row needs the CRM's id" },
      ],
    });
    expect(await countContacts(t.db)).toBe(3);
    const [chloe] = await findContactsByEmail(t.db, ' chloe@example.com ');
    expect(chloe).toMatchObject({
      externalId: 'CRM-3', email: 'Chloe@Example.com', fullName: 'Chloé Brown', address: `1 High Street${eol}Leeds`,
      isCustomer: true, isSubscriber: true, firstCollectedAt: '2019-06-01T09:00:00.000Z',
      lastSuccessfulContactAt: '2025-01-01T00:00:00.000Z', legalHold: true, doNotContact: false,
      createdAt: FIRST_RUN.toISOString(), updatedAt: FIRST_RUN.toISOString(),
    });
    expect(await getContact(t.db, chloe?.id ?? 0)).toEqual(chloe);
    expect((await findContactsByEmail(t.db, 'gareth@example.com'))[0]).toMatchObject({ fullName: 'Wright, Gareth', company: 'Wright & Co "Ltd"' });
    expect(await findContactsByEmail(t.db, 'dev.patel@example.com')).toEqual([]);
    expect(await auditFacts()).toEqual([{ action: 'contacts.imported', facts: { inserted: 3, updated: 0, unchanged: 0, suppressed: 1, erased_earlier: 0, rejected: 4 } }]);
  });

  it('changes nothing when the same file is imported again', async () => {
    await importContacts(deps, csv(SMALL));
    const report = await importContacts({ ...deps, now: SECOND_RUN }, csv(SMALL));
    expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, suppressed: 0, rejectedCount: 4 });
    expect(await updatedAt('CRM-1')).toBe(FIRST_RUN.toISOString());
  });

  it('updates only the rows that changed', async () => {
    await importContacts(deps, csv(SMALL));
    const changed = SMALL.map((line) => line.replace('Alice Smith', 'Alice Jones'))
      .concat('CRM-8,ivan@example.com,Ivan Li,,,,,,,,,,,');
    const report = await importContacts({ ...deps, now: SECOND_RUN }, csv(changed));
    expect(report).toMatchObject({ inserted: 1, updated: 1, unchanged: 3 });
    expect(await updatedAt('CRM-1')).toBe(SECOND_RUN.toISOString());
    expect(await updatedAt('CRM-7')).toBe(FIRST_RUN.toISOString());
    expect((await findContactsByEmail(t.db, 'alice@example.com'))[0]?.fullName).toBe('Alice Jones');
  });

  it('leaves columns the file does not carry as they were', async () => {
    await importContacts(deps, csv(SMALL));
    const report = await importContacts({ ...deps, now: SECOND_RUN }, csv(['email,external_id,full_name', 'chloe@example.com,CRM-3,Chloé B']));
    expect(report).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    expect((await findContactsByEmail(t.db, 'chloe@example.com'))[0]).toMatchObject({ fullName: 'Chloé B', legalHold: true, isCustomer: true });
  });
});

describe('importContacts: repeated external ids', () => {
  const lines = [HEADER, 'CRM-1,first@example.com,,,,,,,,,,,,', 'CRM-2,b@example.com,,,,,,,,,,,,', 'CRM-1,second@example.com,,,,,,,,,,,,'];

  it('loads the last row of an id and rejects the earlier one', async () => {
    const report = await importContacts(deps, csv(lines));
    expect(report).toMatchObject({ inserted: 2, rejectedCount: 1, rejected: [{ line: 2, reason: 'external_id "CRM-1" appears again on line 4; that later row was loaded instead' }] });
    expect(await findContactsByEmail(t.db, 'second@example.com')).toHaveLength(1);
  });

  it('lets the last row win across batches too, as an update', async () => {
    const report = await importContacts({ ...deps, batchSize: 2 }, csv(lines));
    expect(report).toMatchObject({ inserted: 2, updated: 1, rejectedCount: 0 });
    expect(await findContactsByEmail(t.db, 'first@example.com')).toEqual([]);
  });
});

describe('importContacts: what was erased stays erased (CONTRACT §7)', () => {
  /** What a purge (or an erasure request) leaves of a contact: a tombstone keyed by its CRM id's hash. */
  async function tombstone(externalId: string, erasedAt: string, by: { purge?: string; request?: string }): Promise<void> {
    const batch = by.purge ? (await t.db('purge_batches').insert({ reference: by.purge, as_of: erasedAt.slice(0, 10) }).returning<{ id: number }[]>('id'))[0]!.id : null;
    const request = by.request ? (await t.db('requests').insert({
      reference: by.request, type: 'erasure', subject_hmac: 'f'.repeat(64), received_via: 'email', received_on: '2026-09-01',
      due_on: '2026-10-01', status: 'completed', requested_by: 'slack:UCLERK', details: {},
    }).returning<{ id: number }[]>('id'))[0]!.id : null;
    const contactId = 900_000 + Math.floor(Math.random() * 1000);
    await t.db('contact_tombstones').insert({ contact_id: contactId, external_id_hash: externalIdHash(PEPPER, externalId), reason: by.request ? 'R1' : 'R2', purge_batch_id: batch, request_id: request, erased_at: erasedAt });
  }

  it('refuses rows whose CRM id was erased earlier, counts them apart, and lists each with the date and what erased it', async () => {
    await tombstone('CRM-1', '2026-10-02T23:30:00Z', { purge: 'PURGE-2026-Q4-1' });
    await tombstone('CRM-3', '2026-09-15T09:00:00Z', { request: 'DSR-2026-0007' });
    const report = await importContacts(deps, csv([HEADER,
      'CRM-1,alice@example.com,Alice Smith,,,,,,2020-01-15,,,,,', 'CRM-2,bob@example.com,Bob Jones,,,,,,,,,,,',
      'CRM-3,chloe@example.com,Chloé Brown,,,,,,,,,,,', 'crm-1,alice@example.com,Alice (another CRM id),,,,,,,,,,,']));
    expect(report).toMatchObject({ inserted: 2, erasedEarlier: 2, suppressed: 0, rejectedCount: 0 });
    // 23:30 UTC on 2 October is already 3 October in London.
    expect(formatImportReport(report)).toEqual([
      'inserted: 2', 'updated: 0 (unchanged: 0)', 'suppressed: 0', 'erased earlier: 2', 'rejected: 0',
      'line 2: external_id "CRM-1" was erased on 2026-10-03 by PURGE-2026-Q4-1: delete it in the CRM, so the next export does not carry it again',
      'line 4: external_id "CRM-3" was erased on 2026-09-15 by DSR-2026-0007: delete it in the CRM, so the next export does not carry it again',
    ]);
    expect((await t.db('contacts').orderBy('external_id').pluck('external_id'))).toEqual(['CRM-2', 'crm-1']);
    expect(await auditFacts()).toEqual([{ action: 'contacts.imported', facts: { inserted: 2, updated: 0, unchanged: 0, suppressed: 0, erased_earlier: 2, rejected: 0 } }]);
  });

  it('refuses an erased id even when its row also repeats, and lets neither row in', async () => {
    await tombstone('CRM-1', '2026-10-02T10:00:00Z', { purge: 'PURGE-2026-Q4-1' });
    const report = await importContacts(deps, csv([HEADER, 'CRM-1,a@example.com,,,,,,,,,,,,', 'CRM-1,b@example.com,,,,,,,,,,,,']));
    expect(report).toMatchObject({ inserted: 0, erasedEarlier: 2, rejectedCount: 0 });
    expect(await countContacts(t.db)).toBe(0);
  });

  it('counts a suppressed email apart from an erased id', async () => {
    await suppress('bob@example.com');
    await tombstone('CRM-1', '2026-10-02T10:00:00Z', {});
    const report = await importContacts(deps, csv([HEADER, 'CRM-1,alice@example.com,,,,,,,,,,,,', 'CRM-2,Bob@Example.com,,,,,,,,,,,,']));
    expect(report).toMatchObject({ inserted: 0, suppressed: 1, erasedEarlier: 1 });
    expect(report.erased).toEqual([{ line: 2, reason: 'external_id "CRM-1" was erased on 2026-10-02: delete it in the CRM, so the next export does not carry it again' }]);
  });
});

describe('importContacts: a suppressed phone (DESIGN section 1: every identifier is checked)', () => {
  it('refuses a row whose phone, written any UK way, is on the suppression list, whatever its email', async () => {
    await addSuppression(t.db, { emailHmac: phoneSuppressionHash(PEPPER, '020 7946 0001')!, kind: 'phone', tag: 'Do not contact', reason: 'do-not-contact' });
    const report = await importContacts(deps, csv([HEADER,
      'CRM-1,new.address@example.com,Jo Bloggs,+44 (0)20 7946 0001,,,,,,,,,,',
      'CRM-2,other@example.com,Sam Smith,020 7946 0002,,,,,,,,,,',
      'CRM-3,third@example.com,No Phone,,,,,,,,,,,']));
    expect(report).toMatchObject({ inserted: 2, suppressed: 1, erasedEarlier: 0, rejectedCount: 0 });
    expect(await findContactsByEmail(t.db, 'new.address@example.com')).toEqual([]);
    expect(await countContacts(t.db)).toBe(2);
  });
});

describe('importContacts: first_collected_at (R2 needs it)', () => {
  it('keeps a known first_collected_at when a later export leaves the cell blank, and takes a new date when it gives one', async () => {
    await importContacts(deps, csv([HEADER, 'CRM-1,alice@example.com,Alice,,,,,,2020-01-15,,,,,', 'CRM-2,bob@example.com,Bob,,,,,,,,,,,']));
    const blank = await importContacts({ ...deps, now: SECOND_RUN }, csv([HEADER, 'CRM-1,alice@example.com,Alice,,,,,,,,,,,', 'CRM-2,bob@example.com,Bob,,,,,,,,,,,']));
    expect(blank).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });
    const stored = async () => Object.fromEntries((await t.db('contacts').select('external_id', 'first_collected_at')).map((r: { external_id: string; first_collected_at: Date | null }) => [r.external_id, r.first_collected_at?.toISOString() ?? null]));
    expect(await stored()).toEqual({ 'CRM-1': '2020-01-15T00:00:00.000Z', 'CRM-2': null });
    const dated = await importContacts({ ...deps, now: SECOND_RUN }, csv([HEADER, 'CRM-1,alice@example.com,Alice,,,,,,2019-03-01,,,,,', 'CRM-2,bob@example.com,Bob,,,,,,2021-05-05,,,,,']));
    expect(dated).toMatchObject({ updated: 2 });
    expect(await stored()).toEqual({ 'CRM-1': '2019-03-01T00:00:00.000Z', 'CRM-2': '2021-05-05T00:00:00.000Z' });
  });

  it('stores every instant exactly, before 2000 and with an offset or milliseconds too', async () => {
    const given = ['1970-01-01', '1999-12-31T23:59:59.999Z', '2000-01-01T00:00:00Z', '1969-07-20T20:17:40.5-05:00', '2024-02-29T09:30:00+01:00'];
    await importContacts(deps, csv([HEADER, ...given.map((when, i) => `CRM-${i},p${i}@example.com,,,,,,,${when},${when},,${when},,`)]));
    const rows = await t.db('contacts').select<{ external_id: string; first_collected_at: Date; last_successful_contact_at: Date; legitimate_interest_ended_at: Date }[]>('*').orderBy('external_id');
    const expected = given.map((when) => new Date(when.length === 10 ? `${when}T00:00:00Z` : when).toISOString());
    expect(rows.map((r) => r.first_collected_at.toISOString())).toEqual(expected);
    expect(rows.map((r) => r.last_successful_contact_at.toISOString())).toEqual(expected);
    expect(rows.map((r) => r.legitimate_interest_ended_at.toISOString())).toEqual(expected);
  });
});

describe('importContacts: malformed CSV', () => {
  const good = (n: number) => `CRM-${n},p${n}@example.com,Person ${n},,,,,,,,,,,`;

  it.each<[string, string, string]>([
    ['an opening quote mid-value', 'CRM-9,p9@example.com,Bo"b,,,,,,,,,,,', 'line 3: not valid CSV, so this line was not loaded: a " appears inside an unquoted value; quote the whole value and write the " as ""'],
    ['text after a closing quote', 'CRM-9,p9@example.com,"Bob"by,,,,,,,,,,,', 'line 3: not valid CSV, so lines 3 to 6 were not loaded: check the quotes on line 3 (a quoted value is followed by more text; a " inside a quoted value must be written "")'],
    ['a quote never closed', 'CRM-9,"p9@example.com,Bob,,,,,,,,,,,', 'line 3: not valid CSV, so lines 3 to 6 were not loaded: check the quotes on line 3 (a quoted value is never closed: a " is missing)'],
  ])('reports %s with its line and says which lines were lost', async (_what, bad, expected) => {
    const report = await importContacts(deps, csv([HEADER, good(1), bad, good(2), good(3), good(4)]));
    expect(formatImportReport(report).slice(5)).toEqual([expected]);
    expect(report.inserted + report.rejectedCount).toBe(expected.includes('this line') ? 5 : 2);
  });

  it('reads on once a later quote brings csv-parse back in step', async () => {
    const report = await importContacts(deps, csv([HEADER, good(1), 'CRM-9,"p9@example.com,Bob,,,,,,,,,,,', good(2), 'CRM-10,"q@example.com",,,,,,,,,,,,', good(3)]));
    expect(report).toMatchObject({ inserted: 2, rejectedCount: 1 });
    expect(formatImportReport(report).slice(5)).toEqual([
      'line 3: not valid CSV, so lines 3 to 5 were not loaded: check the quotes on line 3 (a quoted value is followed by more text; a " inside a quoted value must be written "")',
    ]);
    expect((await findContactsByEmail(t.db, 'p3@example.com'))[0]?.externalId).toBe('CRM-3');
  });
});

describe('importContacts: files it cannot read', () => {
  it.each<[string, string[], RegExp]>([
    ['a file without a header', ['CRM-1,alice@example.com,Alice,,,,,,,,,,,'], /^Line 1 looks like data, not a header\. The first line must be the header: external_id,email,/],
    ['a misspelt header', [HEADER.replace('is_customer', 'is_custmer'), 'CRM-1,alice@example.com,,,,,,,,,,,,'], /^The header on line 1 has unknown column "is_custmer"\./],
    ['an empty file', [], /^The file is empty\./],
    ['an empty first line', ['', HEADER], /^Line 1 is empty\./],
    ['a header with a stray quote', [`"${HEADER}`, 'CRM-1,alice@example.com,,,,,,,,,,,,'], /^The header \(line 1\) could not be read: not valid CSV, so lines 1 to 2 were not loaded/],
  ])('refuses %s with one clear error and writes nothing', async (_what, lines, message) => {
    const input = lines.length === 0 ? Readable.from([]) : csv(lines);
    const error = await importContacts(deps, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GovbotError);
    expect((error as GovbotError).message).toMatch(message);
    expect(await countContacts(t.db)).toBe(0);
    expect(await auditFacts()).toEqual([]);
  });
});

describe('importContacts: input that fails', () => {
  it('passes on a read error and writes no audit event when nothing was loaded', async () => {
    const error = await importContacts(deps, createReadStream('/nonexistent/contacts.csv')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOENT' });
    expect(await auditFacts()).toEqual([]);
  });

  it('records what was loaded before the input failed', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield `${HEADER}\nCRM-1,a@example.com,,,,,,,,,,,,\nCRM-2,b@example.com,,,,,,,,,,,,\n`;
      while (await countContacts(t.db) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      throw Object.assign(new Error('disk gone'), { code: 'EIO' });
    }
    const error = await importContacts({ ...deps, batchSize: 1 }, Readable.from(failing())).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'EIO' });
    expect(await countContacts(t.db)).toBeGreaterThan(0);
    expect((await auditFacts()).map((e) => [e.action, e.facts.error])).toEqual([['contacts.import_failed', 'EIO']]);
  });
});

describe('importContacts: many rows', () => {
  it('lists the first 1000 rejections and counts the rest', async () => {
    const bad = Array.from({ length: 1200 }, (_, i) => `CRM-${i},not-an-email,,,,,,,,,,,,`);
    const report = await importContacts(deps, csv([HEADER, ...bad]));
    expect(report).toMatchObject({ inserted: 0, rejectedCount: 1200 });
    expect(report.rejected).toHaveLength(1000);
    expect(report.rejected[999]?.line).toBe(1001);
    expect(formatImportReport(report).at(-1)).toBe('… and 200 more rejected rows not listed');
  });

  it('imports a 100,000-row file', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'govbot-import-'));
    try {
      const file = path.join(dir, 'contacts.csv');
      const options = { rows: 100_000, seed: 42, badEvery: 1000 };
      const summary = await writeContactsCsv(file, options);
      await suppress(syntheticRow(7, options).email);
      await suppress(syntheticRow(99_999, options).email);
      const started = performance.now();
      const report = await importContacts(deps, createReadStream(file));
      const seconds = (performance.now() - started) / 1000;
      console.log(`imported 100,000 rows (${summary.lines} lines) in ${seconds.toFixed(1)} s`);
      expect(report).toMatchObject({ inserted: 99_898, updated: 0, suppressed: 2, rejectedCount: 100 });
      expect(report.rejected.map((r) => r.line)).toEqual(summary.badLines);
      expect(await countContacts(t.db)).toBe(99_898);
      const again = await importContacts({ ...deps, now: SECOND_RUN }, createReadStream(file));
      expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 99_898, suppressed: 2, rejectedCount: 100 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('formatImportReport', () => {
  it('prints the counts, then each rejected row', () => {
    const report: ImportReport = { inserted: 3, updated: 1, unchanged: 5, suppressed: 2, erasedEarlier: 1, erased: [{ line: 20, reason: 'external_id "CRM-7" was erased on 2026-10-02 by PURGE-2026-Q4-1: delete it in the CRM, so the next export does not carry it again' }], rejectedCount: 1, rejected: [{ line: 17, reason: 'email "bob@" is not a valid email address' }] };
    expect(formatImportReport(report)).toEqual([
      'inserted: 3', 'updated: 1 (unchanged: 5)', 'suppressed: 2', 'erased earlier: 1', 'rejected: 1', 'line 17: email "bob@" is not a valid email address',
      'line 20: external_id "CRM-7" was erased on 2026-10-02 by PURGE-2026-Q4-1: delete it in the CRM, so the next export does not carry it again',
    ]);
  });
});
