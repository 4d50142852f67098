import type { Knex } from 'knex';

/**
 * Restriction of processing (Art 18) on register rows: set where an objection to other processing
 * arrives, lifted once the individual is told it will be (Art 18(3)). A row may be restricted on
 * more than one basis, so lifting asks which rows another request still keeps restricted.
 */
type Trx = Knex.Transaction;

/** Restricts the rows; returns only those that were not restricted already (the ones this basis added). */
export async function restrictContacts(trx: Trx, ids: readonly number[], at: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await trx('contacts').whereIn('id', ids).where({ processing_restricted: false })
    .update({ processing_restricted: true, updated_at: at }).returning('id');
  return rows.map((row: { id: number }) => Number(row.id)).sort((a, b) => a - b);
}

/** Lifts the restriction on the rows; returns those lifted (a row since erased or already lifted is skipped). */
export async function liftRestriction(trx: Trx, ids: readonly number[], at: Date): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await trx('contacts').whereIn('id', ids).where({ processing_restricted: true })
    .update({ processing_restricted: false, updated_at: at }).returning('id');
  return rows.map((row: { id: number }) => Number(row.id)).sort((a, b) => a - b);
}

/**
 * Of `ids`, the rows another request keeps restricted: a restriction or an upheld objection carried
 * out, or another objection to other processing still open, or closed with its Art 18(3) notice
 * not yet told.
 */
export async function restrictedByOtherRequests(trx: Trx, requestId: number, ids: readonly number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const result = await trx.raw<{ rows: { id: string }[] }>(`
    select c.id from unnest(:ids::bigint[]) as c(id)
    where exists (
        select 1 from requests r
        where r.id <> :requestId and r.type = 'objection' and r.details->'objection'->>'about' = 'other'
          and r.details->>'restrictionLiftedOn' is null
          and r.details->'matchedContactIds' @> to_jsonb(c.id)
          and (r.closed_at is null or exists (
            select 1 from request_notices n where n.request_id = r.id and n.kind = 'restriction-lift' and n.told_on is null)))
      or exists (
        select 1 from actions a
        where a.request_id <> :requestId and a.kind in ('restrict', 'uphold-objection') and a.status = 'done'
          and coalesce((a.result->>'carried_out')::boolean, false) and a.params->'contactIds' @> to_jsonb(c.id))
    order by c.id`, { ids: [...ids], requestId });
  return result.rows.map((row) => Number(row.id));
}
