import type { Knex } from 'knex';
import type { Db } from './database.js';

/**
 * Persons behind chat identities (migrations/20261206130200_person_identities.ts). An identity
 * with no row is a person of its own; a linked group's person key is the group's first identity.
 */

/** Every identity of the person `identity` belongs to, itself included. */
export async function identitiesOf(db: Db | Knex.Transaction, identity: string): Promise<string[]> {
  const rows = await db('person_identities')
    .whereIn('person', db('person_identities').where({ identity }).select('person'))
    .orderBy('identity').pluck<string[]>('identity');
  return rows.includes(identity) ? rows : [identity, ...rows];
}

/** identity → person for each identity given (unlinked ones map to themselves). */
export async function personsOf(db: Db | Knex.Transaction, identities: readonly string[]): Promise<Map<string, string>> {
  const map = new Map(identities.map((identity) => [identity, identity]));
  if (identities.length === 0) return map;
  const rows = await db('person_identities').whereIn('identity', [...new Set(identities)]).select<{ identity: string; person: string }[]>('identity', 'person');
  for (const row of rows) map.set(row.identity, row.person);
  return map;
}

/**
 * Makes `a` and `b` one person, merging the groups they were in. Serialised by a transaction-scoped
 * advisory lock so two links made at once cannot leave a group split. Returns the person's identities.
 */
export async function linkIdentities(trx: Knex.Transaction, a: string, b: string, by: string): Promise<string[]> {
  await trx.raw("select pg_advisory_xact_lock(hashtext('person_identities'))");
  const persons = await personsOf(trx, [a, b]);
  const person = persons.get(a)!;
  const other = persons.get(b)!;
  if (other !== person) await trx('person_identities').where({ person: other }).update({ person });
  await trx('person_identities').insert([...new Set([a, b, person])].map((identity) => ({ identity, person, linked_by: by })))
    .onConflict('identity').merge(['person']);
  return identitiesOf(trx, a);
}
