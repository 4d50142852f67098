import type { Db } from '../../src/register/database.js';

// slack_deliveries (signatures seen, for replay protection), slack_inbox (work between its ack and
// its end, gone once done) and rate_limits (intake counters) are transport bookkeeping, not register data.
const TABLES_SQL = `select table_name from information_schema.tables
  where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'knex_migrations%'
    and table_name not in ('slack_deliveries', 'slack_inbox', 'slack_inbox_starts', 'rate_limits') order by table_name`;

/**
 * A fingerprint (row count and digest) of every table in the register, whatever migrations have
 * added, in one round trip: for hostile-input tests that assert "nothing changed" over many runs.
 * Unlike registerSnapshot it needs no list of tables kept up to date.
 */
export async function registerFingerprint(db: Db): Promise<Record<string, string>> {
  const tables = (await db.raw<{ rows: { table_name: string }[] }>(TABLES_SQL)).rows.map((r) => r.table_name);
  const sql = tables.map((t) => `select '${t}' as t, count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as d from "${t}" x`).join(' union all ');
  const rows = (await db.raw<{ rows: { t: string; n: number; d: string }[] }>(sql)).rows;
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n}:${r.d}`]));
}
