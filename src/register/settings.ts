import type { Db } from './database.js';

/** Committee-wide settings changed from chat (e.g. the committee channel), as JSON values. */
export async function getSetting<T>(db: Db, key: string): Promise<T | null> {
  const row = await db('settings').where({ key }).first<{ value: T } | undefined>('value');
  return row?.value ?? null;
}

export async function setSetting(db: Db, key: string, value: unknown, updatedBy: string): Promise<void> {
  await db('settings')
    .insert({ key, value: JSON.stringify(value), updated_by: updatedBy, updated_at: db.fn.now() })
    .onConflict('key').merge(['value', 'updated_by', 'updated_at']);
}
