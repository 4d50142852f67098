import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { BinaryCopyWriter } from './binary-copy.js';
import { SeenHashes } from './seen-hashes.js';
import { CONTACT_COLUMNS, type ContactColumn, type ContactInput } from '../domain/contact-row.js';
import type { DigestInto } from '../domain/suppression.js';
import type { Db } from './database.js';

/**
 * The contact import's database side (CONTRACT §7): valid rows stream into a temporary staging
 * table through `COPY … FROM STDIN`, and one statement per batch decides every row at once, inside
 * Postgres: refused when its CRM id belongs to a contact erased earlier (a tombstone) or its email
 * is on the suppression list, superseded by a later row of the same id, otherwise upserted by
 * external_id (unchanged rows untouched). Nothing but the counts and the rows to list comes back.
 */

/** A valid row and the line it starts on. */
export interface StagedContact {
  readonly line: number;
  readonly contact: ContactInput;
}

/**
 * The keyed hashes only the process can compute (the pepper never leaves it), written straight
 * into the rows sent: the email's and the phone's as on the suppression list (the phone's none
 * when it cannot be placed), and the CRM id's as on a tombstone.
 */
export interface ImportDigests {
  readonly email: DigestInto;
  readonly phone: DigestInto;
  readonly externalId: DigestInto;
}

export interface BatchOutcome {
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly suppressed: number;
  readonly erasedEarlier: number;
  readonly superseded: number;
  /** Rows to list, by line, at most the `listed` asked for: erased earlier, or superseded. */
  readonly listed: readonly ListedRow[];
}

export type ListedRow =
  | { readonly kind: 'erased'; readonly line: number; readonly externalId: string; readonly erasedOn: string; readonly erasedBy: string | null }
  | { readonly kind: 'superseded'; readonly line: number; readonly externalId: string; readonly lastLine: number };

export interface ContactImportSession {
  /**
   * Adds a row to the batch being loaded. Returns a promise only when the caller must wait (a
   * batch to begin, or the connection to catch up): a million awaits of nothing cost time.
   */
  add(row: StagedContact): Promise<void> | undefined;
  /**
   * Ends the batch being loaded and queues its decision behind the previous batch's. Resolves once
   * its rows are all in Postgres, with `decided`: the outcome once the batch commits. Rows added
   * meanwhile load into the next batch on the other connection, so reading goes on while Postgres
   * decides.
   */
  endBatch(options: { now: Date; timeZone: string; listed: number }): Promise<{ decided: Promise<BatchOutcome> }>;
  /** Waits for a decision under way, rolls back a batch still loading and gives the connections back. */
  close(): Promise<void>;
}

const SQL_TYPES = { text: 'text', boolean: 'boolean', timestamp: 'timestamptz' } as const;
const ALWAYS: readonly ContactColumn[] = ['external_id', 'email'];
/**
 * Memory for the decision's hash tables (the whole suppression list and every erased CRM id, per
 * batch): with the default 4 MB a large list spills to temporary files, written and read back.
 */
const MERGE_WORK_MEM = '128MB';
/**
 * Memory for the session's temporary tables: a batch's staged rows (about 7 MB for 25,000, the
 * service's default) then stay in memory, where the default 8 MB would spill a larger batch to a
 * file and read it back.
 */
const STAGING_TEMP_BUFFERS = '64MB';

type Column = (typeof CONTACT_COLUMNS)[number];

/**
 * One connection and the batch loading on it; `idle` settles when its last decision has. The
 * batch's CRM ids are noted (by hash) while it loads, so that the decision is told which ones
 * may repeat instead of grouping the whole batch to find out.
 */
interface Lane {
  readonly client: pg.Client;
  copy: Writable | null;
  rows: BinaryCopyWriter;
  count: number;
  ids: SeenHashes;
  repeated: Set<string>;
  idle: Promise<void>;
  broken: boolean;
}

/**
 * A session on two connections of the pool, for one import: batches alternate between them, so
 * one batch loads through COPY while the one before it is decided, and decisions run one at a time
 * in file order (a later row of an id, in a later batch, updates the earlier one). Columns the file
 * lacks keep their stored value on update; a blank first_collected_at never blanks a known one
 * (the CRM may simply not have it any more, and R2 needs it).
 */
export async function openContactImport(db: Db, fileColumns: readonly ContactColumn[], digests: ImportDigests): Promise<ContactImportSession> {
  const columns = CONTACT_COLUMNS.filter((c) => ALWAYS.includes(c.name) || fileColumns.includes(c.name));
  const lanes: Lane[] = [];
  try {
    for (let i = 0; i < 2; i += 1) {
      const client = await db.client.acquireConnection() as pg.Client;
      lanes.push({ client, copy: null, rows: new BinaryCopyWriter(), count: 0, ids: new SeenHashes(), repeated: new Set(), idle: Promise.resolve(), broken: false });
      await prepareStaging(client, columns);
    }
  } catch (error) {
    for (const lane of lanes) await db.client.releaseConnection(lane.client);
    throw error;
  }
  let current = 0;
  let lastDecision: Promise<unknown> = Promise.resolve();
  let failure: unknown = null;
  const merge = mergeSql(columns);
  const copySql = `copy import_staging (line, email_hmac, phone_hmac, external_id_hash, ${columns.map((c) => c.name).join(', ')}) from stdin with (format binary)`;

  const begin = async (lane: Lane): Promise<Writable> => {
    await lane.idle;
    if (failure !== null) throw failure;
    await lane.client.query(`begin; set local work_mem = '${MERGE_WORK_MEM}'; truncate import_staging`);
    const stream = lane.client.query(copyStreams.from(copySql));
    stream.on('error', () => { lane.broken = true; });
    lane.copy = stream;
    lane.rows = new BinaryCopyWriter();
    lane.count = 0;
    lane.ids.clear();
    lane.repeated.clear();
    return stream;
  };
  const write = (lane: Lane, row: StagedContact): void => {
    const idHash = writeRow(lane.rows, row, columns, digests);
    lane.count += 1;
    if (lane.ids.add(idHash)) lane.repeated.add(row.contact.externalId);
  };
  const decide = async (lane: Lane, previous: Promise<unknown>, batch: { rows: number; repeated: string[] }, options: { now: Date; timeZone: string; listed: number }): Promise<BatchOutcome> => {
    await previous;
    try {
      const result = await lane.client.query<Counts>(merge, [options.now, options.timeZone, options.listed, batch.repeated]);
      await lane.client.query('commit');
      const counts = result.rows[0]!;
      const loadable = batch.rows - counts.suppressed - counts.erased - counts.superseded;
      return {
        inserted: counts.inserted, updated: counts.updated, unchanged: loadable - counts.inserted - counts.updated,
        suppressed: counts.suppressed, erasedEarlier: counts.erased, superseded: counts.superseded,
        listed: counts.listed.map(toListed),
      };
    } catch (error) {
      await lane.client.query('rollback').catch(() => { lane.broken = true; });
      throw error;
    }
  };

  return {
    add: (row) => {
      if (failure !== null) throw failure;
      const lane = lanes[current]!;
      if (lane.copy === null) return begin(lane).then(() => { write(lane, row); });
      write(lane, row);
      return lane.rows.ready ? flush(lane.copy, lane.rows) : undefined;
    },
    endBatch: async (options) => {
      const lane = lanes[current]!;
      const stream = lane.copy ?? await begin(lane);
      await flush(stream, lane.rows, true);
      const finished = once(stream, 'finish');
      stream.end();
      await finished;
      lane.copy = null;
      current = 1 - current;
      const batch = { rows: lane.count, repeated: [...lane.repeated] };
      lane.ids.clear();
      lane.repeated.clear();
      // The previous batch may still be deciding: this one waits its turn, in file order.
      const decided = decide(lane, lastDecision, batch, options);
      // A failed decision fails the rows still to come; whoever awaits `decided` hears why.
      decided.catch((error: unknown) => { failure ??= error; });
      lastDecision = decided;
      lane.idle = decided.then(() => undefined, () => undefined);
      return { decided };
    },
    close: async () => {
      for (const lane of lanes) {
        try {
          await lane.idle;
          if (lane.copy && !lane.broken) {
            // An unfinished COPY is ended by failing it; the rollback then undoes the batch.
            lane.copy.destroy(new Error('import abandoned'));
            await once(lane.copy, 'close').catch(() => undefined);
          }
          await lane.client.query('rollback').catch(() => { lane.broken = true; });
          // The connection goes back to the pool: it keeps no table of this import.
          if (!lane.broken) await lane.client.query('drop table if exists pg_temp.import_staging').catch(() => { lane.broken = true; });
        } finally {
          if (lane.broken) lane.client.end().catch(() => undefined);
          await db.client.releaseConnection(lane.client);
        }
      }
    },
  };
}

/**
 * The session's staging table, made once per connection and truncated for each batch (a table
 * made and dropped per batch costs catalog rows each time). Temporary: never written to the WAL,
 * seen by this connection alone. Column names come from CONTACT_COLUMNS only, never from the file.
 */
async function prepareStaging(client: pg.Client, columns: readonly Column[]): Promise<void> {
  // Only possible before the connection first uses a temporary table; a pooled one may have.
  await client.query(`set temp_buffers = '${STAGING_TEMP_BUFFERS}'`).catch(() => undefined);
  await client.query(`drop table if exists pg_temp.import_staging;
    create temporary table import_staging (line integer not null, email_hmac bytea not null, phone_hmac bytea,
      external_id_hash bytea not null, ${columns.map((c) => `${c.name} ${SQL_TYPES[c.kind]}`).join(', ')})`);
}

/** Hands the rows written so far to the COPY; a promise only when the connection must catch up. */
function flush(stream: Writable, rows: BinaryCopyWriter, last = false): Promise<void> | undefined {
  if (stream.write(rows.take(last))) return undefined;
  return new Promise((resolve, reject) => {
    const drained = (): void => { stream.off('error', failed); resolve(); };
    const failed = (error: unknown): void => { stream.off('drain', drained); reject(error); };
    stream.once('drain', drained);
    stream.once('error', failed);
  });
}

interface Counts {
  inserted: number; updated: number; suppressed: number; erased: number; superseded: number;
  listed: { line: number; refused: 'erased' | 'superseded'; external_id: string; last_line: number | null; erased_on: string | null; erased_by: string | null }[];
}

function toListed(row: Counts['listed'][number]): ListedRow {
  return row.refused === 'erased'
    ? { kind: 'erased', line: row.line, externalId: row.external_id, erasedOn: row.erased_on ?? '?', erasedBy: row.erased_by }
    : { kind: 'superseded', line: row.line, externalId: row.external_id, lastLine: row.last_line ?? 0 };
}

/**
 * The batch's one statement. $1 the time to stamp, $2 the time zone of "erased on", $3 how many
 * rows to list, $4 the CRM ids that appear more than once in the batch (usually none).
 * Tombstones and suppression entries are joined by hash (hash tables over the stored hex, decoded
 * once per batch, probed by each staged row's bytes; an entry that is not a hash cannot match).
 * The staged rows are read twice, never copied: once to insert every row nothing refuses, once
 * to find the few refused (erased, suppressed, or superseded by a later row of the same CRM id,
 * the last one winning as in the file), which alone are counted and listed.
 */
function mergeSql(columns: readonly Column[]): string {
  const names = columns.map((c) => c.name);
  const changeable = names.filter((name) => name !== 'external_id');
  const incoming = (name: string) => name === 'first_collected_at' ? 'coalesce(excluded.first_collected_at, contacts.first_collected_at)' : `excluded.${name}`;
  const erased = (s: string) => `exists (select from erased_ids e where e.hash = ${s}.external_id_hash)`;
  const suppressed = (s: string) => `(exists (select from suppressed l where l.hmac = ${s}.email_hmac) or exists (select from suppressed l where l.hmac = ${s}.phone_hmac))`;
  return `
    with erased_ids as materialized (
      select distinct decode(external_id_hash, 'hex') as hash from contact_tombstones
      where external_id_hash ~ '^[0-9a-f]{64}$'),
    suppressed as materialized (
      select decode(email_hmac, 'hex') as hmac from suppression_list where email_hmac ~ '^[0-9a-f]{64}$'),
    last_rows as (
      select s.external_id, max(s.line) as last_line
      from import_staging s join unnest($4::text[]) as repeated (external_id) using (external_id)
      where not ${erased('s')} and not ${suppressed('s')}
      group by s.external_id),
    upserted as (
      insert into contacts (${names.join(', ')}, created_at, updated_at)
      select ${names.map((name) => `s.${name}`).join(', ')}, $1, $1 from import_staging s
      where not ${erased('s')} and not ${suppressed('s')}
        and not exists (select from last_rows r where r.external_id = s.external_id and s.line < r.last_line)
      on conflict (external_id) do update
        set ${changeable.map((name) => `${name} = ${incoming(name)}`).join(', ')}, updated_at = excluded.updated_at
        where (${changeable.map((name) => `contacts.${name}`).join(', ')})
          is distinct from (${changeable.map(incoming).join(', ')})
      returning (xmax = 0) as inserted),
    refused as materialized (
      select s.line, s.external_id, s.external_id_hash, r.last_line,
        case when ${erased('s')} then 'erased' when ${suppressed('s')} then 'suppressed' else 'superseded' end as outcome
      from import_staging s left join last_rows r on r.external_id = s.external_id
      where ${erased('s')} or ${suppressed('s')} or s.line < r.last_line),
    erasures as (
      select distinct on (t.external_id_hash) t.external_id_hash,
        to_char(t.erased_at at time zone $2, 'YYYY-MM-DD') as erased_on, coalesce(b.reference, q.reference) as erased_by
      from contact_tombstones t
        left join purge_batches b on b.id = t.purge_batch_id
        left join requests q on q.id = t.request_id
      where t.external_id_hash in (select encode(external_id_hash, 'hex') from refused where outcome = 'erased')
      order by t.external_id_hash, t.erased_at desc)
    select
      (select count(*) filter (where inserted) from upserted)::int as inserted,
      (select count(*) filter (where not inserted) from upserted)::int as updated,
      (select count(*) filter (where outcome = 'suppressed') from refused)::int as suppressed,
      (select count(*) filter (where outcome = 'erased') from refused)::int as erased,
      (select count(*) filter (where outcome = 'superseded') from refused)::int as superseded,
      (select coalesce(json_agg(l order by l.line), '[]'::json) from (
        select f.line, f.outcome as refused, f.external_id, f.last_line, e.erased_on, e.erased_by
        from refused f left join erasures e on f.outcome = 'erased' and e.external_id_hash = encode(f.external_id_hash, 'hex')
        where f.outcome in ('erased', 'superseded') order by f.line limit $3) l) as listed`;
}

/** One staged row, in the order of the COPY's column list; returns a 32-bit piece of its CRM id's hash. */
function writeRow(rows: BinaryCopyWriter, row: StagedContact, columns: readonly Column[], digests: ImportDigests): number {
  const contact = row.contact;
  rows.row(4 + columns.length);
  rows.int4(row.line);
  rows.digest(digests.email, contact.email);
  rows.digest(digests.phone, contact.phone);
  const idHash = rows.digest(digests.externalId, contact.externalId);
  for (const column of columns) {
    const value = contact[column.key];
    if (column.kind === 'boolean') rows.boolean(value as boolean);
    else if (column.kind === 'timestamp') rows.timestamp(value as string | null);
    else rows.text(value as string | null);
  }
  return idHash;
}
