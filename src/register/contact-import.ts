import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { BinaryCopyWriter } from './binary-copy.js';
import { CONTACT_COLUMNS, type ContactColumn, type ContactInput } from '../domain/contact-row.js';
import type { Db } from './database.js';

/**
 * The contact import's database side (CONTRACT §7): valid rows stream into a temporary staging
 * table through `COPY … FROM STDIN`, and one statement per batch decides every row at once, inside
 * Postgres: refused when its CRM id belongs to a contact erased earlier (a tombstone) or its email
 * is on the suppression list, superseded by a later row of the same id, otherwise upserted by
 * external_id (unchanged rows untouched). Nothing but the counts and the rows to list comes back.
 */

/** A valid row with what the process alone can compute: the keyed hashes (the pepper never leaves it). */
export interface StagedContact {
  readonly line: number;
  readonly contact: ContactInput;
  readonly emailHmac: string;
  /** The phone's keyed hash, or null when the row has no phone that can be placed. */
  readonly phoneHmac: string | null;
  readonly externalIdHash: string;
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
 * Memory for the decision's hash tables and the decided rows it reads three times, per batch: with
 * the default 4 MB a batch spills to temporary files and is written and read back over and over.
 */
const MERGE_WORK_MEM = '128MB';

type Column = (typeof CONTACT_COLUMNS)[number];

/** One connection and the batch loading on it; `idle` settles when its last decision has. */
interface Lane {
  readonly client: pg.Client;
  copy: Writable | null;
  rows: BinaryCopyWriter;
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
export async function openContactImport(db: Db, fileColumns: readonly ContactColumn[]): Promise<ContactImportSession> {
  const columns = CONTACT_COLUMNS.filter((c) => ALWAYS.includes(c.name) || fileColumns.includes(c.name));
  const lanes: Lane[] = [];
  try {
    for (let i = 0; i < 2; i += 1) lanes.push({ client: await db.client.acquireConnection() as pg.Client, copy: null, rows: new BinaryCopyWriter(), idle: Promise.resolve(), broken: false });
  } catch (error) {
    for (const lane of lanes) await db.client.releaseConnection(lane.client);
    throw error;
  }
  let current = 0;
  let lastDecision: Promise<unknown> = Promise.resolve();
  let failure: unknown = null;
  const merge = mergeSql(columns);

  const begin = async (lane: Lane): Promise<Writable> => {
    await lane.idle;
    if (failure !== null) throw failure;
    await lane.client.query('begin');
    // Column names come from CONTACT_COLUMNS only, never from the file.
    await lane.client.query(`create temporary table import_staging (line integer not null, email_hmac text not null,
      phone_hmac text, external_id_hash text not null, ${columns.map((c) => `${c.name} ${SQL_TYPES[c.kind]}`).join(', ')}) on commit drop`);
    const stream = lane.client.query(copyStreams.from(`copy import_staging (line, email_hmac, phone_hmac, external_id_hash, ${columns.map((c) => c.name).join(', ')}) from stdin with (format binary)`));
    stream.on('error', () => { lane.broken = true; });
    lane.copy = stream;
    lane.rows = new BinaryCopyWriter();
    return stream;
  };
  const flush = (stream: Writable, rows: BinaryCopyWriter, last = false): Promise<void> | undefined => {
    if (stream.write(rows.take(last))) return undefined;
    return Promise.race([once(stream, 'drain').then(() => undefined), once(stream, 'error').then(([error]) => { throw error; })]);
  };
  const decide = async (lane: Lane, previous: Promise<unknown>, sql: string, options: { now: Date; timeZone: string; listed: number }): Promise<BatchOutcome> => {
    await previous;
    try {
      await lane.client.query(`set local work_mem = '${MERGE_WORK_MEM}'`);
      const result = await lane.client.query<Counts>(sql, [options.now, options.timeZone, options.listed]);
      await lane.client.query('commit');
      const counts = result.rows[0]!;
      return {
        inserted: counts.inserted, updated: counts.updated, unchanged: counts.loadable - counts.inserted - counts.updated,
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
      if (lane.copy === null) return begin(lane).then(() => { writeRow(lane.rows, row, columns); });
      writeRow(lane.rows, row, columns);
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
      // The previous batch may still be deciding: this one waits its turn, in file order.
      const decided = decide(lane, lastDecision, merge, options);
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
        } finally {
          if (lane.broken) lane.client.end().catch(() => undefined);
          await db.client.releaseConnection(lane.client);
        }
      }
    },
  };
}

interface Counts {
  inserted: number; updated: number; loadable: number; suppressed: number; erased: number; superseded: number;
  listed: { line: number; refused: 'erased' | 'superseded'; external_id: string; last_line: number | null; erased_on: string | null; erased_by: string | null }[];
}

function toListed(row: Counts['listed'][number]): ListedRow {
  return row.refused === 'erased'
    ? { kind: 'erased', line: row.line, externalId: row.external_id, erasedOn: row.erased_on ?? '?', erasedBy: row.erased_by }
    : { kind: 'superseded', line: row.line, externalId: row.external_id, lastLine: row.last_line ?? 0 };
}

/**
 * The batch's one statement. $1 the time to stamp, $2 the time zone of "erased on", $3 how many
 * rows to list. Tombstones and suppression entries are joined by hash (hash joins over whole
 * tables, not a lookup per row); a repeated CRM id counts among the rows that would load, the last
 * one winning, as in the file. The ids that repeat are found by hashing the ids alone, and only
 * their rows are checked twice: neither a sort of the whole batch nor a copy of it is needed.
 */
function mergeSql(columns: readonly Column[]): string {
  const names = columns.map((c) => c.name);
  const changeable = names.filter((name) => name !== 'external_id');
  const incoming = (name: string) => name === 'first_collected_at' ? 'coalesce(excluded.first_collected_at, contacts.first_collected_at)' : `excluded.${name}`;
  return `
    with erased as (
      select distinct on (t.external_id_hash) t.external_id_hash,
        to_char(t.erased_at at time zone $2, 'YYYY-MM-DD') as erased_on, coalesce(b.reference, r.reference) as erased_by
      from contact_tombstones t
        left join purge_batches b on b.id = t.purge_batch_id
        left join requests r on r.id = t.request_id
      where t.external_id_hash is not null
      order by t.external_id_hash, t.erased_at desc),
    checked as (
      select s.*, e.erased_on, e.erased_by,
        case when e.external_id_hash is not null then 'erased'
          when l.email_hmac is not null or lp.email_hmac is not null then 'suppressed' end as refused
      from import_staging s
        left join erased e on e.external_id_hash = s.external_id_hash
        left join suppression_list l on l.email_hmac = s.email_hmac
        left join suppression_list lp on lp.email_hmac = s.phone_hmac),
    repeated as (
      select external_id from import_staging group by external_id having count(*) > 1),
    last_rows as (
      select s.external_id, max(s.line) as last_line
      from import_staging s join repeated using (external_id)
      where not exists (select from erased e where e.external_id_hash = s.external_id_hash)
        and not exists (select from suppression_list l where l.email_hmac in (s.email_hmac, s.phone_hmac))
      group by s.external_id),
    verdict as (
      select c.*, r.last_line, coalesce(c.refused, case when c.line < r.last_line then 'superseded' end) as outcome
      from checked c left join last_rows r on r.external_id = c.external_id),
    upserted as (
      insert into contacts (${names.join(', ')}, created_at, updated_at)
      select ${names.join(', ')}, $1, $1 from verdict where outcome is null
      on conflict (external_id) do update
        set ${changeable.map((name) => `${name} = ${incoming(name)}`).join(', ')}, updated_at = excluded.updated_at
        where (${changeable.map((name) => `contacts.${name}`).join(', ')})
          is distinct from (${changeable.map(incoming).join(', ')})
      returning (xmax = 0) as inserted)
    select
      (select count(*) filter (where inserted) from upserted)::int as inserted,
      (select count(*) filter (where not inserted) from upserted)::int as updated,
      count(*) filter (where outcome is null)::int as loadable,
      count(*) filter (where outcome = 'suppressed')::int as suppressed,
      count(*) filter (where outcome = 'erased')::int as erased,
      count(*) filter (where outcome = 'superseded')::int as superseded,
      (select coalesce(json_agg(l order by l.line), '[]'::json) from (
        select line, outcome as refused, external_id, last_line, erased_on, erased_by from verdict
        where outcome in ('erased', 'superseded') order by line limit $3) l) as listed
    from verdict`;
}

/** One staged row, in the order of the COPY's column list. */
function writeRow(rows: BinaryCopyWriter, row: StagedContact, columns: readonly Column[]): void {
  rows.row(4 + columns.length);
  rows.int4(row.line);
  rows.text(row.emailHmac);
  rows.text(row.phoneHmac);
  rows.text(row.externalIdHash);
  for (const column of columns) {
    const value = row.contact[column.key];
    if (column.kind === 'boolean') rows.boolean(value as boolean);
    else if (column.kind === 'timestamp') rows.timestamp(value as string | null);
    else rows.text(value as string | null);
  }
}
