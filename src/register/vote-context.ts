import type { Knex } from 'knex';
import type { Decision } from '../domain/approvals.js';
import type { MemberRow } from './committee.js';
import type { PauseRow } from './pauses.js';
import type { ProposalRow } from './proposals.js';
import type { NoticeRow } from './request-notices.js';
import type { RequestRow } from './requests.js';
import { sqlId, sqlLiteral } from './sql-literals.js';

/**
 * Everything a vote is checked against (services/cast-vote.ts), read once the proposal's row lock
 * is held: in a statement of its own, so its snapshot is taken after the lock and sees every vote
 * committed before it (a vote read with the lock's own statement could miss the one it waited
 * for). Persons are as persons.ts defines them: an identity's group key, or
 * the identity itself when it is linked to no one.
 */
export interface VoteContext {
  /** The key the vote is cast under (lockForVote's `voterKey`, or its `otherKey`). */
  readonly voterKey: string;
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
  voter_key: string;
  voter_person: string | null;
  voter_group: string[];
  member: MemberRow | null;
  votes: { member: string; person: string | null; decision: Decision }[];
  requester_person: string | null;
  requester_group: string[];
}

/**
 * The voter's key, written in: `key`, or `otherKey` (the same person under another platform id) when
 * only that one is on the committee now, as a member's own row says (not through linked persons).
 */
function voterKeySql(key: string, otherKey: string | null): string {
  if (otherKey === null) return `${sqlLiteral(key)}::text`;
  const member = (k: string) => `exists (select 1 from committee_members where removed_at is null and platform || ':' || platform_user_id = ${sqlLiteral(k)})`;
  return `(case when not ${member(key)} and ${member(otherKey)} then ${sqlLiteral(otherKey)} else ${sqlLiteral(key)} end)::text`;
}

/**
 * The context query with its three values written in (sql-literals.ts): the voter's key, the
 * proposal's id, and the requester's key as an expression.
 */
function contextSql(voter: string, proposalId: string, requester: string): string {
  return `
    with voter as (select ${voter} as identity),
    voter_group as (
      select coalesce(array_agg(identity order by identity), '{}') as identities from person_identities
      where person in (select person from person_identities where identity = (select identity from voter))
    ),
    requester as (select ${requester}::text as identity)
    select
      (select identity from voter) as voter_key,
      (select person from person_identities where identity = (select identity from voter)) as voter_person,
      (select identities from voter_group) as voter_group,
      (select json_build_object('id', m.id, 'platform', m.platform, 'platform_user_id', m.platform_user_id, 'display_name', m.display_name, 'role', m.role)
        from committee_members m
        where m.removed_at is null
          and (m.platform || ':' || m.platform_user_id) = any((select identities from voter_group) || array[(select identity from voter)])
        order by m.role, m.id limit 1) as member,
      coalesce((select json_agg(json_build_object('member', v.member, 'person', pi.person, 'decision', v.decision) order by v.id)
        from votes v left join person_identities pi on pi.identity = v.member where v.proposal_id = ${proposalId}), '[]') as votes,
      (select person from person_identities where identity = (select identity from requester)) as requester_person,
      coalesce((select array_agg(identity order by identity) from person_identities
        where person in (select person from person_identities where identity = (select identity from requester))), '{}') as requester_group`;
}

function contextOf(row: ContextRow, requestedBy: string | null): VoteContext {
  const voterKey = row.voter_key;
  const withSelf = (key: string, group: string[]) => (group.includes(key) ? group : [key, ...group]);
  return {
    voterKey,
    voter: { person: row.voter_person ?? voterKey, identities: withSelf(voterKey, row.voter_group) },
    member: row.member === null ? null : { ...row.member, id: Number(row.member.id) },
    votes: row.votes.map((v) => ({ member: v.member, person: v.person ?? v.member, decision: v.decision })),
    requester: requestedBy === null ? null : { person: row.requester_person ?? requestedBy, identities: withSelf(requestedBy, row.requester_group) },
  };
}

/** What a vote locks and reads before it is checked (services/cast-vote.ts). */
export interface LockedForVote {
  readonly proposal: ProposalRow;
  /** The proposal's request, locked after the proposal; null for a proposal of no request (a purge). */
  readonly request: RequestRow | null;
  readonly context: VoteContext;
  /** The request's waits and notices, what its clock is computed from (empty without a request). */
  readonly history: { readonly pauses: PauseRow[]; readonly notices: NoticeRow[] };
  /** Where the request's card was posted, on each platform (an invoke is answered with it only there). */
  readonly cardPostedIn: readonly CardPlace[];
}

export interface CardPlace {
  readonly platform: 'slack' | 'teams';
  readonly channel: string;
  readonly messageId: string;
}

/**
 * A vote's locks and reads in ONE round trip: six statements sent as one multi-statement query.
 * The proposal's row lock, then its request's (the order every vote takes them, so two votes never
 * deadlock), then the vote's context, the request's clock history and where its card was posted. Each statement takes its
 * own snapshot once the one before it is done, so the context, read after the locks are granted,
 * sees every vote committed before them (as the separate statements it replaces did). Null when
 * there is no such proposal.
 */
export async function lockForVote(trx: Knex.Transaction, proposalId: number, voterKey: string, otherKey: string | null = null): Promise<LockedForVote | null> {
  const id = sqlId(proposalId);
  const requestId = `(select request_id from proposals where id = ${id})`;
  const results = (await trx.raw([
    `select * from proposals where id = ${id} limit 1 for update`,
    `select * from requests where id = ${requestId} limit 1 for update`,
    contextSql(voterKeySql(voterKey, otherKey), id, `(select requested_by from proposals where id = ${id})`),
    `select * from request_pauses where request_id = ${requestId} order by id`,
    `select * from request_notices where request_id = ${requestId} order by id`,
    `select platform, channel, message_id from chat_messages where card_key = 'request:' || ${requestId} order by id`,
  ].join(';\n'))) as unknown as { rows: unknown[] }[];
  const rows = <T>(i: number): T[] => (results[i]?.rows ?? []) as T[];
  const proposal = rows<ProposalRow>(0)[0];
  if (!proposal) return null;
  return {
    proposal,
    request: rows<RequestRow>(1)[0] ?? null,
    context: contextOf(rows<ContextRow>(2)[0]!, proposal.requested_by),
    history: { pauses: rows<PauseRow>(3), notices: rows<NoticeRow>(4) },
    cardPostedIn: rows<{ platform: CardPlace['platform']; channel: string; message_id: string }>(5).map((m) => ({ platform: m.platform, channel: m.channel, messageId: m.message_id })),
  };
}
