import type { Knex } from 'knex';
import type { Db } from './database.js';

/**
 * Display names of chat identities (migrations/20261206164000_display_names.ts), keyed by member
 * key ("slack:U0123", "teams:<object id>"). A name is written only when it differs from the one
 * kept, so the same name given by every activity costs one indexed read in Postgres, no new row version.
 */
export interface DisplayName {
  readonly identity: string;
  readonly name: string;
}

export async function saveDisplayNames(db: Db | Knex.Transaction, names: readonly DisplayName[]): Promise<void> {
  // One row per identity: Postgres refuses an upsert that touches the same row twice.
  const unique = [...new Map(names.map((n) => [n.identity, n])).values()];
  if (unique.length === 0) return;
  await db.raw(`
    insert into display_names (identity, name)
    select * from unnest(?::text[], ?::text[])
    on conflict (identity) do update set name = excluded.name, updated_at = now()
      where display_names.name is distinct from excluded.name`,
  [unique.map((n) => n.identity), unique.map((n) => n.name)]);
}

/** identity → name, for the identities that have one. */
export async function displayNamesOf(db: Db | Knex.Transaction, identities: readonly string[]): Promise<Map<string, string>> {
  if (identities.length === 0) return new Map();
  const rows = await db('display_names').whereIn('identity', [...new Set(identities)]).select<DisplayName[]>('identity', 'name');
  return new Map(rows.map((row) => [row.identity, row.name]));
}
