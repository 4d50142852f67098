import type { Knex } from 'knex';
import type { Decision } from '../domain/approvals.js';
import type { MemberRow } from './committee.js';
import type { PauseRow } from './pauses.js';
import type { ProposalRow } from './proposals.js';
import type { NoticeRow } from './request-notices.js';
import type { RequestRow } from './requests.js';
import type { Db } from './database.js';
import { execute, prepared, queryPrepared, warmPrepared } from './prepared-statements.js';
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
 * Everything the vote is checked against, in one statement: $1 the voter's key, $2 the same person
 * under another platform id (or null), $3 the proposal. The vote is cast under $2 when only that
 * one is on the committee now, as a member's own row says (not through linked persons).
 */
const CONTEXT = prepared('vote_context', ['text', 'text', 'bigint'], `
    with voter as (select (case when $2 is not null
        and not exists (select 1 from committee_members where removed_at is null and platform || ':' || platform_user_id = $1)
        and exists (select 1 from committee_members where removed_at is null and platform || ':' || platform_user_id = $2)
      then $2 else $1 end)::text as identity),
    voter_group as (
      select coalesce(array_agg(identity order by identity), '{}') as identities from person_identities
      where person in (select person from person_identities where identity = (select identity from voter))
    ),
    requester as (select (select requested_by from proposals where id = $3)::text as identity)
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
        from votes v left join person_identities pi on pi.identity = v.member where v.proposal_id = $3), '[]') as votes,
      (select person from person_identities where identity = (select identity from requester)) as requester_person,
      coalesce((select array_agg(identity order by identity) from person_identities
        where person in (select person from person_identities where identity = (select identity from requester))), '{}') as requester_group`);

/** The proposal's request, by the proposal's id ($1). */
const REQUEST_OF = '(select request_id from proposals where id = $1)';
const LOCK = [
  prepared('vote_lock_proposal', ['bigint'], 'select * from proposals where id = $1 limit 1 for update'),
  prepared('vote_lock_request', ['bigint'], `select * from requests where id = ${REQUEST_OF} limit 1 for update`),
  CONTEXT,
  prepared('vote_pauses', ['bigint'], `select * from request_pauses where request_id = ${REQUEST_OF} order by id`),
  prepared('vote_notices', ['bigint'], `select * from request_notices where request_id = ${REQUEST_OF} order by id`),
  prepared('vote_card_places', ['bigint'], `select platform, channel, message_id from chat_messages where card_key = 'request:' || ${REQUEST_OF} order by id`),
] as const;

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

/** A vote's reads prepared and planned on a session of the pool at start (warmPrepared). */
export async function warmVoteReads(db: Db, session: unknown): Promise<void> {
  await warmPrepared(db, session, LOCK.map((statement) => ({ statement, args: statement === CONTEXT ? ["''", 'null::text', '0'] : ['0'] })));
}

/**
 * A vote's locks and reads in ONE round trip: six prepared statements run as one multi-statement
 * query (prepared-statements.ts).
 * The proposal's row lock, then its request's (the order every vote takes them, so two votes never
 * deadlock), then the vote's context, the request's clock history and where its card was posted. Each statement takes its
 * own snapshot once the one before it is done, so the context, read after the locks are granted,
 * sees every vote committed before them (as the separate statements it replaces did). Null when
 * there is no such proposal.
 */
export async function lockForVote(trx: Knex.Transaction, proposalId: number, voterKey: string, otherKey: string | null = null): Promise<LockedForVote | null> {
  const id = sqlId(proposalId);
  const results = await queryPrepared(trx, LOCK, LOCK.map((statement) => statement === CONTEXT
    ? execute(CONTEXT, sqlLiteral(voterKey), `${sqlLiteral(otherKey)}::text`, id)
    : execute(statement, id)));
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
