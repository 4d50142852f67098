import type { Db } from './database.js';

/**
 * One hit on a fixed-window counter; returns the hits in this window, this one included. A single
 * upsert, so replicas hitting the same bucket at once each see a distinct count. Windows two
 * lengths old are deleted on the way (the index on window_start keeps that a short range scan).
 */
export async function hitRateLimit(db: Db, bucket: string, windowStart: Date, windowMs: number): Promise<number> {
  const result = await db.raw<{ rows: { hits: number }[] }>(`
    with expired as (delete from rate_limits where window_start < ?)
    insert into rate_limits (bucket, window_start, hits) values (?, ?, 1)
    on conflict (bucket, window_start) do update set hits = rate_limits.hits + 1
    returning hits`, [new Date(windowStart.getTime() - 2 * windowMs), bucket, windowStart]);
  return result.rows[0]!.hits;
}
