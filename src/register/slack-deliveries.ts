import type { Db } from './database.js';

/** How long a signature is remembered: twice Slack's five-minute replay window. */
export const REMEMBER_SIGNATURES = '10 minutes';

/**
 * Records a Slack request's signature; false if it was seen before (a replay). Forgets signatures
 * past the window in the same statement, so the table stays a few minutes of traffic long.
 */
export async function firstDelivery(db: Db, signature: string): Promise<boolean> {
  const result = await db.raw<{ rows: unknown[] }>(`
    with forgotten as (delete from slack_deliveries where seen_at < now() - interval '${REMEMBER_SIGNATURES}')
    insert into slack_deliveries (signature) values (?) on conflict (signature) do nothing returning 1`, [signature]);
  return result.rows.length > 0;
}
