import type { Knex } from 'knex';
import type { Db } from './database.js';

import type { Platform } from '../domain/platform.js';

export type { Platform };
export type Role = 'member' | 'chair';

export interface MemberRow {
  id: number;
  platform: Platform;
  platform_user_id: string;
  display_name: string | null;
  role: Role;
}

/** A member's key in votes, proposals and audit events: "slack:U0123" or "teams:29:1abc". */
export function memberKey(platform: Platform, userId: string): string {
  return `${platform}:${userId}`;
}

export async function findMember(db: Db, platform: Platform, userId: string): Promise<MemberRow | null> {
  const row = await db('committee_members')
    .where({ platform, platform_user_id: userId })
    .whereNull('removed_at')
    .first<MemberRow | undefined>('id', 'platform', 'platform_user_id', 'display_name', 'role');
  return row ?? null;
}

export async function listMembers(db: Db): Promise<MemberRow[]> {
  return db('committee_members').whereNull('removed_at').orderBy([{ column: 'role' }, { column: 'id' }])
    .select<MemberRow[]>('id', 'platform', 'platform_user_id', 'display_name', 'role');
}

/** Adds or re-adds a member; returns whether anything changed. */
export async function upsertMember(db: Db, member: { platform: Platform; userId: string; role: Role; addedBy: string }): Promise<boolean> {
  const result = await db.raw<{ rowCount: number }>(`
    insert into committee_members (platform, platform_user_id, role, added_by) values (?, ?, ?, ?)
    on conflict (platform, platform_user_id) do update
      set role = excluded.role, added_by = excluded.added_by, removed_at = null
      where committee_members.removed_at is not null or committee_members.role <> excluded.role`,
  [member.platform, member.userId, member.role, member.addedBy]);
  return result.rowCount > 0;
}

export async function removeMember(db: Db, platform: Platform, userId: string): Promise<boolean> {
  const count = await db('committee_members')
    .where({ platform, platform_user_id: userId }).whereNull('removed_at')
    .update({ removed_at: db.fn.now() });
  return count > 0;
}

export async function listChairs(db: Db): Promise<MemberRow[]> {
  return db('committee_members').where({ role: 'chair' }).whereNull('removed_at')
    .select<MemberRow[]>('id', 'platform', 'platform_user_id', 'display_name', 'role');
}

/**
 * The current chairs, row-locked for the caller's transaction, so two chairs removing each other at
 * once are serialised and the second sees that only one chair is left.
 */
export async function lockChairs(trx: Knex.Transaction): Promise<MemberRow[]> {
  return trx('committee_members').where({ role: 'chair' }).whereNull('removed_at').orderBy('id').forUpdate()
    .select<MemberRow[]>('id', 'platform', 'platform_user_id', 'display_name', 'role');
}
