import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTACT_HEADER, MAX_FIELD_LENGTH } from '../../src/domain/contact-row.js';
import { isValidEmail, normaliseEmail } from '../../src/domain/email.js';
import { GovbotError } from '../../src/errors.js';
import { countContacts } from '../../src/register/contacts.js';
import { formatImportReport, importContacts, type ImportDeps, type ImportReport } from '../../src/services/import-contacts.js';
import { toCsvLine } from '../support/contacts-csv.js';
import { HOSTILE_FRAGMENTS, hostileText, hugeText } from '../support/hostile-text.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * `govbot import contacts` fed what a broken or hostile CRM export holds: random bytes, quotes left
 * open, huge lines, NUL bytes, Latin-1 and UTF-16 text. The import answers with a report of
 * rejected rows or one clear error about the header; it never fails any other way, and every row
 * it writes is one that passed the row checks.
 */
const PEPPER = 'test-pepper-0123456789abcdef';
const HEADER = CONTACT_HEADER.join(',');
const GOOD = (n: number) => `CRM-${n},p${n}@example.com,Person ${n},,,,yes,no,2020-01-15,,,,,`;

let t: TestDatabase;
let deps: ImportDeps;
beforeAll(async () => {
  t = await createTestDatabase();
  deps = { db: t.db, pepper: PEPPER, actor: 'cli:test', now: new Date('2026-11-01T09:00:00Z'), batchSize: 7 };
});
afterAll(async () => { await t?.drop(); });
beforeEach(async () => { await t.db('contacts').delete(); });

function bytes(...parts: (string | Buffer)[]): Readable {
  return Readable.from([Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)))]);
}

/** Chunks of random sizes: csv-parse and the line counter must not care where reads split. */
function chunked(buffer: Buffer, cuts: readonly number[]): Readable {
  const points = [...new Set(cuts.map((c) => c % (buffer.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...points, buffer.length]) {
    if (p > from) chunks.push(buffer.subarray(from, p));
    from = Math.max(from, p);
  }
  return Readable.from(chunks);
}

type Outcome = { report: ImportReport } | { error: GovbotError };

/** Whether a rejection names the line, alone or within a stretch ("lines 3 to 6 were not loaded"). */
function reported(report: ImportReport, line: number): boolean {
  return report.rejected.some((r) => {
    const stretch = /lines (\d+) to (\d+)/.exec(r.reason);
    return r.line === line || (stretch !== null && Number(stretch[1]) <= line && line <= Number(stretch[2]));
  });
}

/** Runs the import; any failure other than a GovbotError about the file fails the test. */
async function run(input: Readable): Promise<Outcome> {
  try {
    return { report: await importContacts(deps, input) };
  } catch (error) {
    if (error instanceof GovbotError && /^IMPORT_(BAD_HEADER|EMPTY_FILE)$/.test(error.code)) return { error };
    throw error;
  }
}

interface StoredRow {
  external_id: string;
  email: string;
  full_name: string | null;
  phone: string | null;
  address: string | null;
  company: string | null;
}

/** Every stored row passes the row checks: an id, a valid email, no over-long or unreadable text. */
async function expectOnlyValidRows(outcome: Outcome): Promise<void> {
  const rows = await t.db('contacts').select<StoredRow[]>('external_id', 'email', 'full_name', 'phone', 'address', 'company');
  if ('error' in outcome) {
    expect(rows).toEqual([]);
    return;
  }
  expect(rows.length).toBe(outcome.report.inserted);
  for (const row of rows) {
    expect(row.external_id.trim()).not.toBe('');
    expect(isValidEmail(normaliseEmail(row.email)), JSON.stringify(row.email)).toBe(true);
    for (const value of Object.values(row)) {
      if (value === null) continue;
      expect(value.length).toBeLessThanOrEqual(MAX_FIELD_LENGTH);
      expect(value).not.toContain('\uFFFD');
    }
  }
  const { report } = outcome;
  expect(report.rejectedCount).toBeGreaterThanOrEqual(report.rejected.length);
  for (const r of report.rejected) {
    expect(r.line).toBeGreaterThanOrEqual(2);
    expect(r.reason.length).toBeGreaterThan(0);
    // A reason quotes at most a little of each bad value: one cell cannot flood the report.
    expect(r.reason.length).toBeLessThan(3_000);
  }
  expect(() => formatImportReport(report)).not.toThrow();
}

describe('arbitrary bytes', () => {
  it('random bytes, with or without a valid header in front: a report or one header error, never a crash', async () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 2_000 }).map((a) => Buffer.from(a)),
      fc.array(fc.oneof(fc.constantFrom(',', '"', '\n', '\r', '\r\n', '""', '\u0000', 'é', '\ufeff', GOOD(1), GOOD(2), 'CRM-3,', '@example.com'),
        fc.string({ maxLength: 20 })), { maxLength: 80 }).map((parts) => Buffer.from(parts.join(''), 'utf8')),
    );
    await fc.assert(fc.asyncProperty(fc.boolean(), body, fc.array(fc.nat(), { maxLength: 6 }), async (withHeader, rest, cuts) => {
      await t.db('contacts').delete();
      const file = withHeader ? Buffer.concat([Buffer.from(`${HEADER}\n`), rest]) : rest;
      await expectOnlyValidRows(await run(chunked(file, cuts)));
    }), { numRuns: 150 });
  });

  it('rows of hostile values, quoted properly or not at all: each row loads or is rejected, none crashes the import', async () => {
    const cell = fc.oneof(
      { weight: 4, arbitrary: hostileText(60) },
      { weight: 1, arbitrary: hugeText(MAX_FIELD_LENGTH - 10, MAX_FIELD_LENGTH + 50) },
      { weight: 2, arbitrary: fc.constantFrom('', 'yes', 'no', '1', '2024-03-01', '2024-03-01T09:30:00Z', '2026-02-30', 'jo@example.com') },
    );
    // Mostly valid ids, emails, flags and dates, so that the hostile text columns reach the register.
    const mostly = (valid: fc.Arbitrary<string>) => fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: cell });
    const flag = mostly(fc.constantFrom('', 'yes', 'no', 'TRUE', '0'));
    const date = mostly(fc.constantFrom('', '2024-03-01', '2019-06-01T10:00:00+01:00'));
    const row = fc.tuple(
      mostly(fc.integer({ min: 1, max: 20 }).map((n) => `CRM-${n}`)), mostly(fc.integer({ min: 1, max: 20 }).map((n) => `p${n}@example.com`)),
      cell, cell, cell, cell, flag, flag, date, date, flag, date, flag, flag,
    ).map((values) => [...values]);
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(row, fc.boolean()), { maxLength: 12 }), async (rows) => {
      await t.db('contacts').delete();
      const lines = rows.map(([values, quoted]) => (quoted ? toCsvLine(values) : values.join(',')));
      await expectOnlyValidRows(await run(bytes([HEADER, ...lines].join('\n'))));
    }), { numRuns: 150 });
  });
});

describe('known ways an export breaks', () => {
  const rows = (outcome: Outcome) => {
    if ('error' in outcome) throw new Error(`expected a report, got: ${outcome.error.message}`);
    return outcome.report;
  };

  it('a quote left open at the end of the file: the rows before it load, the rest is reported by line', async () => {
    const outcome = await run(bytes(`${HEADER}\n${GOOD(1)}\n${GOOD(2)}\nCRM-3,"p3@example.com,Never closed,,,,,,,,,,,\n${GOOD(4)}\n`));
    const report = rows(outcome);
    expect(report).toMatchObject({ inserted: 2, rejectedCount: 1 });
    expect(report.rejected[0]).toMatchObject({ line: 4, reason: expect.stringContaining('a quoted value is never closed') });
    await expectOnlyValidRows(outcome);
  });

  it.each([
    ['a quoted value of 5 MB', `CRM-2,p2@example.com,"${'x'.repeat(5_000_000)}",,,,,,,,,,,`],
    ['an unquoted value of 300 KB', `CRM-2,p2@example.com,${'y'.repeat(300_000)},,,,,,,,,,,`],
    ['a line of 2 MB without a single comma', 'z'.repeat(2_000_000)],
  ])('a huge line (%s): rejected by line, and no row after it lost unannounced', async (_what, huge) => {
    const outcome = await run(bytes(`${HEADER}\n${GOOD(1)}\n${huge}\n${GOOD(3)}\n${GOOD(4)}\n`));
    const report = rows(outcome);
    expect(report.inserted).toBeGreaterThanOrEqual(1);
    expect(report.rejected[0]).toMatchObject({ line: 3, reason: expect.stringMatching(/longer than 65,536 characters|fields where the header has 14/) });
    expect(formatImportReport(report).join('\n').length).toBeLessThan(2_000);
    const loaded = new Set((await t.db('contacts').select<{ external_id: string }[]>('external_id')).map((r) => r.external_id));
    for (const [n, line] of [[1, 2], [3, 4], [4, 5]] as const) {
      if (!loaded.has(`CRM-${n}`)) expect(reported(report, line), `line ${line} neither loaded nor reported`).toBe(true);
    }
    await expectOnlyValidRows(outcome);
  });

  it('NUL bytes in values: those rows are rejected with their line, the others load', async () => {
    const outcome = await run(bytes(`${HEADER}\n${GOOD(1)}\nCRM-2,p2@example.com,Jo\u0000Bloggs,,,,,,,,,,,\nCRM-3\u0000,p3@example.com,,,,,,,,,,,,\nCRM-4,p4\u0000@example.com,,,,,,,,,,,,\n${GOOD(5)}\n`));
    const report = rows(outcome);
    expect(report.inserted).toBe(2);
    expect(report.rejected.map((r) => r.line)).toEqual([3, 4, 5]);
    for (const r of report.rejected) expect(r.reason).toMatch(/NUL/);
    await expectOnlyValidRows(outcome);
  });

  it('a Latin-1 (Windows-1252) export: rows with bytes that are not UTF-8 are rejected, saying to save as UTF-8', async () => {
    const latin1 = Buffer.from(`${HEADER}\nCRM-1,chloe@example.com,Chloé Brown,,12 Rue de l'Église,,,,,,,,,\n${GOOD(2)}\nCRM-3,zoe@example.com,Zoë Ångström,,,,,,,,,,,\n`, 'latin1');
    const outcome = await run(Readable.from([latin1]));
    const report = rows(outcome);
    expect(report.inserted).toBe(1);
    expect(report.rejected.map((r) => r.line)).toEqual([2, 4]);
    for (const r of report.rejected) expect(r.reason).toMatch(/UTF-8/);
    await expectOnlyValidRows(outcome);
  });

  it('a UTF-16 export: read through its byte order mark; without one, one clear error about the header', async () => {
    const withBom = await run(Readable.from([Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\r\n${GOOD(1)}\r\n`, 'utf16le')])]));
    expect(rows(withBom)).toMatchObject({ inserted: 1, rejectedCount: 0 });
    await expectOnlyValidRows(withBom);
    await t.db('contacts').delete();
    const withoutBom = await run(Readable.from([Buffer.from(`${HEADER}\r\n${GOOD(1)}\r\n`, 'utf16le')]));
    expect('error' in withoutBom && withoutBom.error.message).toMatch(/^The header on line 1 has /);
    await expectOnlyValidRows(withoutBom);
  });

  it.each([
    ['an empty file', Buffer.alloc(0)],
    ['a byte order mark alone', Buffer.from('\ufeff')],
    ['binary junk', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d])],
    ['a header of SQL', Buffer.from("external_id'; drop table contacts; --,email\n")],
    ['only NUL bytes', Buffer.alloc(64)],
  ])('%s: one clear error, nothing written', async (_what, file) => {
    const outcome = await run(Readable.from(file.length === 0 ? [] : [file]));
    expect('error' in outcome).toBe(true);
    await expectOnlyValidRows(outcome);
  });

  it('values shaped like SQL and markup are stored as plain text', async () => {
    const values = ['CRM-1', "o'neill@example.com", "'; drop table contacts; --", "1' or '1'='1", '<!channel>', 'Robert"); DROP TABLE suppression_list;--', 'yes', 'no', '', '', '', '', '', ''];
    const outcome = await run(bytes(`${HEADER}\n${toCsvLine(values)}\n`));
    expect(rows(outcome).inserted).toBe(1);
    expect(await t.db('contacts').first('email', 'full_name', 'phone', 'address', 'company')).toEqual({
      email: "o'neill@example.com", full_name: "'; drop table contacts; --", phone: "1' or '1'='1", address: '<!channel>', company: 'Robert"); DROP TABLE suppression_list;--',
    });
    expect(await countContacts(t.db)).toBe(1);
    for (const table of ['contacts', 'suppression_list']) {
      expect((await t.db.raw<{ rows: { r: string | null }[] }>('select to_regclass(?) as r', [table])).rows[0]?.r).toBe(table);
    }
  });

  it('a field of every hostile fragment: each stored exactly, or the row rejected', async () => {
    const fragments = HOSTILE_FRAGMENTS.filter((f) => f !== '\u0000');
    const lines = fragments.map((f, i) => toCsvLine([`CRM-${i}`, `p${i}@example.com`, f, '', '', f, '', '', '', '', '', '', '', '']));
    const outcome = await run(bytes(`${HEADER}\n${lines.join('\n')}\n`));
    await expectOnlyValidRows(outcome);
    const stored = await t.db('contacts').select<{ external_id: string; company: string | null }[]>('external_id', 'company');
    for (const row of stored) {
      const fragment = fragments[Number(row.external_id.slice(4))]!;
      expect(row.company).toBe(fragment.trim() === '' ? null : fragment.trim());
    }
    // Unpaired surrogates reach the file as U+FFFD (UTF-8 cannot encode them): those rows are refused.
    const lineOf = (i: number) => 2 + i + lines.slice(0, i).reduce((n, l) => n + (l.match(/\n/g)?.length ?? 0), 0);
    const lone = fragments.flatMap((f, i) => (/^[\uD800-\uDFFF]$/.test(f) ? [lineOf(i)] : []));
    expect(rows(outcome).rejected.map((r) => r.line)).toEqual(lone);
  });
});
