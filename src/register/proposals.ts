import type { Knex } from 'knex';
import type { Decision, ProposalKind, ProposalStatus } from '../domain/approvals.js';
import type { Db } from './database.js';
import { execute, prepared, queryPrepared } from './prepared-statements.js';
import { sqlId, sqlLiteral } from './sql-literals.js';

export type { ProposalKind };

export interface ProposalRow {
  id: number;
  kind: ProposalKind;
  request_id: number | null;
  purge_batch_id: number | null;
  quorum: number;
  status: ProposalStatus;
  proposed_by: string;
  requested_by: string | null;
  /** Every identity the requester was known by when the proposal was made (persons.ts). */
  requester_identities?: string[];
  summary: Record<string, unknown>;
  decision_reason: string | null;
  decided_at: Date | null;
  created_at: Date;
}

export interface VoteRow {
  proposal_id: number;
  member: string;
  decision: Decision;
  reason: string | null;
  created_at: Date;
}

export type NewProposal = Pick<ProposalRow, 'kind' | 'quorum' | 'proposed_by' | 'requested_by' | 'summary'> & { request_id?: number | null; purge_batch_id?: number | null; also_requested_by?: string | null };

export async function insertProposal(trx: Knex.Transaction, input: NewProposal): Promise<ProposalRow> {
  const [result] = await queryPrepared(trx, [], [insertProposalSql(input)]);
  return result!.rows[0] as ProposalRow;
}

/**
 * The statement insertProposal runs, its values written in (sql-literals.ts), for a caller that
 * sends it with the reads that follow it in one round trip (request-view-rows.ts).
 *
 * Every identity of the requester is recorded now: approving one's own request stays refused even
 * from an identity linked only later (cast-vote.ts also reads the links as they stand then). They
 * are read by the insert itself (as persons.ts's identitiesOf, for each requester).
 */
export function insertProposalSql(input: NewProposal): string {
  const { also_requested_by: also, ...proposal } = input;
  const requesters = [proposal.requested_by, also].filter((key): key is string => Boolean(key));
  return execute(INSERT_PROPOSAL, sqlLiteral(proposal.kind), sqlId(proposal.quorum), sqlLiteral(proposal.proposed_by), sqlLiteral(proposal.requested_by),
    `${sqlLiteral(JSON.stringify(proposal.summary))}::jsonb`, optionalId(proposal.request_id), optionalId(proposal.purge_batch_id),
    `array[${requesters.map(sqlLiteral).join(', ')}]::text[]`);
}

/**
 * ProposalRow's columns by name, not `*`: a prepared statement whose result gains a column (a later
 * migration, applied by a newer replica) fails until it is prepared again; this one never has to be.
 */
const PROPOSAL_COLUMNS = 'id, kind, request_id, purge_batch_id, quorum, status, proposed_by, requested_by, requester_identities, summary, decision_reason, decided_at, created_at';

/**
 * Prepared, as are the vote's other writes (recordVoteSql): sent with their values written in,
 * each was parsed and planned afresh for every vote, which under a burst of votes cost Postgres
 * more than running them.
 */
const INSERT_PROPOSAL = prepared('insert_proposal', ['text', 'integer', 'text', 'text', 'jsonb', 'bigint', 'bigint', 'text[]'], `
  insert into proposals (kind, quorum, proposed_by, requested_by, summary, request_id, purge_batch_id, requester_identities)
  select $1, $2, $3, $4, $5, $6, $7, coalesce((
    select array_agg(identity order by identity collate "C") from (
      select unnest($8) as identity
      union select identity from person_identities
        where person in (select person from person_identities where identity = any($8))
    ) identities), '{}')
  returning ${PROPOSAL_COLUMNS}`);

function optionalId(id: number | null | undefined): string {
  return id === null || id === undefined ? 'null::bigint' : sqlId(id);
}

/**
 * What insertProposal records as the requester's identities, from their person's linked identities
 * as already read (intake.ts): the requester and every identity linked to them, sorted.
 */
export function requesterIdentities(requestedBy: string, linked: readonly string[]): string[] {
  return [...new Set([requestedBy, ...linked])].sort();
}

export async function getProposal(db: Db, id: number): Promise<ProposalRow | null> {
  return (await db('proposals').where({ id }).first<ProposalRow | undefined>()) ?? null;
}

/** Row lock: votes on one proposal are counted one at a time, so quorum is reached exactly once. */
export async function lockProposal(trx: Knex.Transaction, id: number): Promise<ProposalRow | null> {
  return (await trx('proposals').where({ id }).forUpdate().first<ProposalRow | undefined>()) ?? null;
}

export async function decideProposal(trx: Knex.Transaction, id: number, status: Exclude<ProposalStatus, 'open'>, reason: string | null, at: Date): Promise<void> {
  await trx('proposals').where({ id, status: 'open' }).update({ status, decision_reason: reason, decided_at: at });
}

export async function proposalsForRequest(db: Db, requestId: number): Promise<ProposalRow[]> {
  return db('proposals').where({ request_id: requestId }).orderBy('id').select<ProposalRow[]>('*');
}

export async function openProposalOfKind(db: Db, requestId: number, kind: ProposalKind): Promise<ProposalRow | null> {
  return (await db('proposals').where({ request_id: requestId, kind, status: 'open' }).first<ProposalRow | undefined>()) ?? null;
}

/**
 * A vote and, when it decides, decideProposal, as statements with their values written in
 * (sql-literals.ts), for a vote to send with the next round trip it makes (cast-vote.ts). No
 * conflict clause: the vote is checked under the proposal's lock first, so a second vote by the same
 * member cannot get here; if one did, the unique key refuses it and the whole transaction rolls back
 * (isDuplicateVote tells the caller).
 */
export function recordVoteSql(vote: Omit<VoteRow, 'created_at'>, at: Date, decides: Exclude<ProposalStatus, 'open'> | null): string {
  const insert = execute(RECORD_VOTE, sqlId(vote.proposal_id), sqlLiteral(vote.member), sqlLiteral(vote.decision), sqlLiteral(vote.reason), sqlLiteral(at));
  if (decides === null) return insert;
  return `${insert};\n${execute(DECIDE_PROPOSAL, sqlId(vote.proposal_id), sqlLiteral(decides), sqlLiteral(vote.reason), sqlLiteral(at))}`;
}

const RECORD_VOTE = prepared('record_vote', ['bigint', 'text', 'text', 'text', 'timestamptz'],
  'insert into votes (proposal_id, member, decision, reason, created_at) values ($1, $2, $3, $4, $5)');
const DECIDE_PROPOSAL = prepared('decide_proposal', ['bigint', 'text', 'text', 'timestamptz'],
  "update proposals set status = $2, decision_reason = $3, decided_at = $4 where id = $1 and status = 'open'");

/** A statement refused because this member had already voted on the proposal (the votes table's unique key). */
export function isDuplicateVote(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === 'votes_proposal_id_member_key';
}

/** Sends statements with their values written in as one round trip (recordVoteSql's, for one), preparing what they run. */
export async function sendStatements(trx: Knex.Transaction, statements: readonly string[]): Promise<void> {
  if (statements.length > 0) await queryPrepared(trx, [], statements);
}

export async function votesFor(db: Db, proposalIds: readonly number[]): Promise<VoteRow[]> {
  if (proposalIds.length === 0) return [];
  return db('votes').whereIn('proposal_id', proposalIds).orderBy('id').select<VoteRow[]>('proposal_id', 'member', 'decision', 'reason', 'created_at');
}

/** Open proposals a member could still vote on, for the App Home. */
export async function openProposalsAwaiting(db: Db, member: string, limit = 20): Promise<ProposalRow[]> {
  return db('proposals as p').where('p.status', 'open')
    .whereNotExists(db('votes as v').whereRaw('v.proposal_id = p.id').where('v.member', member))
    .orderBy('p.id').limit(limit).select<ProposalRow[]>('p.*');
}

/** Cancels every open proposal of a request (it was closed); returns the ids cancelled. */
export async function cancelOpenProposals(trx: Knex.Transaction, requestId: number, reason: string, at: Date): Promise<number[]> {
  const rows = await trx('proposals').where({ request_id: requestId, status: 'open' })
    .update({ status: 'cancelled', decision_reason: reason, decided_at: at }).returning('id');
  return (rows as { id: number | string }[]).map((row) => Number(row.id)).sort((a, b) => a - b);
}

/** Row-locks a request's open proposals, in id order (the order a vote takes them: proposal, then request). */
export async function lockOpenProposals(trx: Knex.Transaction, requestId: number): Promise<number[]> {
  const rows = await trx('proposals').where({ request_id: requestId, status: 'open' }).orderBy('id').forUpdate().select<{ id: number }[]>('id');
  return rows.map((row) => Number(row.id));
}
