import type { Actor } from '../chat/actor.js';
import { mention } from '../chat/mention.js';
import { err, ok, type Result } from '../domain/result.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { memberKey } from '../register/committee.js';
import { linkIdentities } from '../register/persons.js';
import type { ServiceContext } from './context.js';
import type { MemberTarget } from './committee-members.js';

/**
 * Records that a Slack user and a Teams user are the same person (chair only; the command checks).
 * From then on they count once in every tally and cannot approve, on either platform, what they
 * asked for on the other. Links are never undone by a command: a wrong one is fixed by the
 * operator, and the audit trail says who made it.
 */
export async function linkPerson(ctx: ServiceContext, by: Actor, slack: MemberTarget, teams: MemberTarget): Promise<Result<string>> {
  if (slack.platform !== 'slack' || teams.platform !== 'teams') return err('Give the Slack user first, then the Teams user');
  const a = memberKey(slack.platform, slack.userId);
  const b = memberKey(teams.platform, teams.userId);
  const now = ctx.clock();
  return ctx.db.transaction(async (trx) => {
    const identities = await linkIdentities(trx, a, b, by.key);
    await appendAuditEvent(trx, { actor: by.key, action: 'committee.identities_linked', subject: 'committee', occurredAt: now, facts: { identities } });
    return ok(`${identities.map(mention).join(' and ')} are now one person: they count once in every vote, and cannot approve on either platform what they asked for on the other.`);
  });
}
