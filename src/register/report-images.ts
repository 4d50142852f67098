import type { Knex } from 'knex';
import type { Db } from './database.js';

/** Report charts kept for chat (see the migration): stored with their token, read until they expire. */
export async function insertReportImage(trx: Knex.Transaction, image: { token: string; quarter: string; png: Uint8Array; createdAt: Date; expiresAt: Date }): Promise<void> {
  // Expired charts go as new ones arrive: at most a few a quarter, so no job of their own is needed.
  await trx('report_images').where('expires_at', '<', image.createdAt).delete();
  await trx('report_images').insert({ token: image.token, quarter: image.quarter, png: Buffer.from(image.png), created_at: image.createdAt, expires_at: image.expiresAt });
}

export async function findReportImage(db: Db | Knex.Transaction, token: string, now: Date): Promise<Buffer | null> {
  const row = await db('report_images').where({ token }).where('expires_at', '>', now).first<{ png: Buffer } | undefined>('png');
  return row?.png ?? null;
}
