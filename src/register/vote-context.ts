import type { Knex } from 'knex';
import type { Decision } from '../domain/approvals.js';
import type { MemberRow } from './committee.js';

/**
 * Everything a vote is checked against (services/cast-vote.ts), read in ONE statement once the
 * proposal's row lock is held: in a statement of its own, so its snapshot is taken after the
 * lock and sees every vote committed before it (a vote read with the lock's own statement could
 * miss the one it waited for). Persons are as persons.ts defines them: an identity's group key, or
 * the identity itself when it is linked to no one.
 */
export interface VoteContext {
  /** The voter's person, and every identity of it (the voter's own first when unlinked). */
  readonly voter: { readonly person: string; readonly identities: string[] };
  /** The first current member among the voter's identities (chairs first). */
  readonly member: MemberRow | null;
  /** Votes already cast on the proposal, with each voter's person. */
  readonly votes: readonly { readonly member: string; readonly person: string; readonly decision: Decision }[];
  /** The requester's identities and person as linked now (null: the proposal has no requester). */
  readonly requester: { readonly person: string; readonly identities: string[] } | null;
}

interface ContextRow {
  voter_person: string | null;
  voter_group: string[];
  member: MemberRow | null;
  votes: { member: string; person: string | null; decision: Decision }[];
  requester_person: string | null;
  requester_group: string[];
}

export async function voteContext(trx: Knex.Transaction, proposalId: number, voterKey: string, requestedBy: string | null): Promise<VoteContext> {
  const result = await trx.raw<{ rows: ContextRow[] }>(`
    with voter as (select ?::text as identity),
    voter_group as (
      select coalesce(array_agg(identity order by identity), '{}') as identities from person_identities
      where person in (select person from person_identities where identity = (select identity from voter))
    )
    select
      (select person from person_identities where identity = (select identity from voter)) as voter_person,
      (select identities from voter_group) as voter_group,
      (select json_build_object('id', m.id, 'platform', m.platform, 'platform_user_id', m.platform_user_id, 'display_name', m.display_name, 'role', m.role)
        from committee_members m
        where m.removed_at is null
          and (m.platform || ':' || m.platform_user_id) = any((select identities from voter_group) || array[(select identity from voter)])
        order by m.role, m.id limit 1) as member,
      coalesce((select json_agg(json_build_object('member', v.member, 'person', pi.person, 'decision', v.decision) order by v.id)
        from votes v left join person_identities pi on pi.identity = v.member where v.proposal_id = ?), '[]') as votes,
      (select person from person_identities where identity = ?::text) as requester_person,
      coalesce((select array_agg(identity order by identity) from person_identities
        where person in (select person from person_identities where identity = ?::text)), '{}') as requester_group`,
  [voterKey, proposalId, requestedBy, requestedBy]);
  const row = result.rows[0]!;
  const withSelf = (key: string, group: string[]) => (group.includes(key) ? group : [key, ...group]);
  return {
    voter: { person: row.voter_person ?? voterKey, identities: withSelf(voterKey, row.voter_group) },
    member: row.member === null ? null : { ...row.member, id: Number(row.member.id) },
    votes: row.votes.map((v) => ({ member: v.member, person: v.person ?? v.member, decision: v.decision })),
    requester: requestedBy === null ? null : { person: row.requester_person ?? requestedBy, identities: withSelf(requestedBy, row.requester_group) },
  };
}
