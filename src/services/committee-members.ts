import { err, ok, type Result } from '../domain/result.js';
import type { Actor } from '../chat/actor.js';
import { mention } from '../chat/mention.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { findMember, listMembers, lockChairs, memberKey, removeMember as deleteMember, upsertMember, type MemberRow, type Platform, type Role } from '../register/committee.js';
import type { ServiceContext } from './context.js';

// Commands name platforms and print members' keys; they reach the register only through here.
export { memberKey, type Platform, type Role };

export interface MemberTarget {
  readonly platform: Platform;
  readonly userId: string;
}

/** Whether the actor is on the committee now. */
export async function isCommitteeMember(ctx: Pick<ServiceContext, 'db'>, actor: Pick<Actor, 'platform' | 'userId'>): Promise<boolean> {
  return (await findMember(ctx.db, actor.platform, actor.userId)) !== null;
}

/** The actor's role on the committee now, or null when they are not on it. */
export async function committeeRole(ctx: Pick<ServiceContext, 'db'>, actor: Pick<Actor, 'platform' | 'userId'>): Promise<Role | null> {
  return (await findMember(ctx.db, actor.platform, actor.userId))?.role ?? null;
}

/** The roster, chairs first. */
export async function listCommittee(ctx: ServiceContext): Promise<MemberRow[]> {
  return listMembers(ctx.db);
}

/**
 * Adds a member, re-adds a removed one, or changes a member's role. Making the last chair an
 * ordinary member is refused, like removing them: the committee would have nobody to manage it.
 */
export async function addCommitteeMember(ctx: ServiceContext, by: Actor, target: MemberTarget, role: Role): Promise<Result<string>> {
  const now = ctx.clock();
  const key = memberKey(target.platform, target.userId);
  return ctx.db.transaction(async (trx): Promise<Result<string>> => {
    const chairs = await lockChairs(trx);
    const existing = await findMember(trx, target.platform, target.userId);
    if (existing?.role === role) return ok(`${mention(key)} is already ${article(role)}; nothing changed.`);
    if (existing?.role === 'chair' && chairs.length <= 1) {
      return err(`${mention(key)} is the only chair, so they stay a chair: add another chair first.`);
    }
    await upsertMember(trx, { platform: target.platform, userId: target.userId, role, addedBy: by.key });
    await appendAuditEvent(trx, {
      actor: by.key, action: existing ? 'committee.role_changed' : 'committee.member_added', subject: 'committee', occurredAt: now,
      facts: { member: key, role, previous_role: existing?.role ?? null },
    });
    return ok(existing
      ? `${mention(key)} is now ${article(role)} (was ${article(existing.role)}).`
      : `${mention(key)} is now ${article(role)} of the committee.`);
  });
}

/** Removes a member (their past votes stay on the record); never the last chair. */
export async function removeCommitteeMember(ctx: ServiceContext, by: Actor, target: MemberTarget): Promise<Result<string>> {
  const now = ctx.clock();
  const key = memberKey(target.platform, target.userId);
  return ctx.db.transaction(async (trx): Promise<Result<string>> => {
    const chairs = await lockChairs(trx);
    const existing = await findMember(trx, target.platform, target.userId);
    if (!existing) return err(`${mention(key)} is not a committee member, so there is nobody to remove. /gov members lists the committee.`);
    if (existing.role === 'chair' && chairs.length <= 1) {
      return err(`${mention(key)} is the only chair and cannot be removed: make someone else a chair first with /gov members add <@user> chair.`);
    }
    await deleteMember(trx, target.platform, target.userId);
    await appendAuditEvent(trx, {
      actor: by.key, action: 'committee.member_removed', subject: 'committee', occurredAt: now,
      facts: { member: key, role: existing.role },
    });
    return ok(`${mention(key)} is no longer on the committee.`);
  });
}

function article(role: Role): string {
  return role === 'chair' ? 'a chair' : 'a member';
}
