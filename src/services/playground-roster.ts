import { appendAuditEvent } from '../register/audit-events.js';
import { findMember, upsertMember } from '../register/committee.js';
import { saveDisplayNames } from '../register/display-names.js';
import type { ServiceContext } from './context.js';

/**
 * The people of the local playground: a chair, two members and a member of staff who is not on the
 * committee. Their names say they are a playground roster, so nobody mistakes them for real
 * people in the register or the audit trail. Teams-shaped ids: `29:…` for the Bot Framework,
 * an Entra object id for the roster.
 */
export interface PlaygroundPerson {
  readonly id: string;
  readonly aadObjectId: string;
  readonly name: string;
  readonly role: 'chair' | 'member' | 'staff';
}

export const PLAYGROUND_ROSTER: readonly PlaygroundPerson[] = [
  { id: '29:playground-chair-ada', aadObjectId: '00000000-0000-4000-8000-00000000a001', name: 'Ada (playground chair)', role: 'chair' },
  { id: '29:playground-member-ben', aadObjectId: '00000000-0000-4000-8000-00000000a002', name: 'Ben (playground member)', role: 'member' },
  { id: '29:playground-member-cleo', aadObjectId: '00000000-0000-4000-8000-00000000a003', name: 'Cleo (playground member)', role: 'member' },
  { id: '29:playground-staff-dev', aadObjectId: '00000000-0000-4000-8000-00000000a004', name: 'Dev (playground staff)', role: 'staff' },
];

/**
 * Puts the playground's chair and members on the committee the first time the playground is
 * opened (and again if someone removed them), audited as the playground's doing. Idempotent.
 */
export async function seedPlaygroundRoster(ctx: ServiceContext): Promise<number> {
  let added = 0;
  await ctx.db.transaction(async (trx) => {
    await saveDisplayNames(trx, PLAYGROUND_ROSTER.map((person) => ({ identity: `teams:${person.aadObjectId}`, name: person.name })));
    for (const person of PLAYGROUND_ROSTER) {
      if (person.role === 'staff') continue;
      const existing = await findMember(trx as never, 'teams', person.aadObjectId);
      if (!existing) {
        await upsertMember(trx as never, { platform: 'teams', userId: person.aadObjectId, role: person.role, addedBy: 'playground' });
        await appendAuditEvent(trx, {
          actor: 'playground', action: 'committee.member_added', subject: 'committee', occurredAt: ctx.clock(),
          facts: { member: `teams:${person.aadObjectId}`, role: person.role, previous_role: null, playground: true },
        });
        added += 1;
      }
    }
  });
  return added;
}
