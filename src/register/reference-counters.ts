import type { Knex } from 'knex';

/**
 * The next number in a yearly sequence (DSR-2026-0001, BR-2026-001). One upsert, so two requests
 * logged at the same instant never share a number, and a rolled-back transaction gives its number back.
 */
export async function nextSequence(trx: Knex.Transaction, kind: 'request' | 'breach' | 'complaint', year: number): Promise<number> {
  const result = await trx.raw<{ rows: { last_value: number }[] }>(`
    insert into reference_counters (kind, year, last_value) values (?, ?, 1)
    on conflict (kind, year) do update set last_value = reference_counters.last_value + 1
    returning last_value`, [kind, year]);
  return result.rows[0]!.last_value;
}
