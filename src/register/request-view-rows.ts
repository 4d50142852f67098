import type { Knex } from 'knex';
import type { ActionRow } from './actions.js';
import type { ComplaintRow } from './complaints.js';
import type { Db } from './database.js';
import type { PauseRow } from './pauses.js';
import type { ProposalRow, VoteRow } from './proposals.js';
import type { RecipientNoticeRow } from './recipient-notices.js';
import type { NoticeRow } from './request-notices.js';
import type { RequestRow } from './requests.js';

/** Every row a request card or `/dsr show` displays (services/request-view.ts). */
export interface RequestViewRows {
  readonly request: RequestRow | null;
  readonly proposals: ProposalRow[];
  readonly pauses: PauseRow[];
  readonly actions: ActionRow[];
  readonly notices: NoticeRow[];
  /** Votes on the request's proposals, in the order cast. */
  readonly votes: VoteRow[];
  readonly repeatReference: string | null;
  readonly complaints: ComplaintRow[];
  readonly recipients: RecipientNoticeRow[];
}

/**
 * The rows of one request's view in ONE round trip: nine selects sent as one multi-statement query
 * (the simple protocol, so no parameters: the id is a checked integer, written in). Each select is
 * the one its register module runs on its own (pauses.ts, actions.ts, request-notices.ts, ...), so
 * rows come back in the same order and with the same types; inside a transaction they see its writes.
 * `writesFirst`: statements with their values written in (sql-literals.ts) that change what the view
 * shows, sent before the selects in the same round trip (a vote's new proposal, cast-vote.ts).
 */
export async function requestViewRows(db: Db | Knex.Transaction, requestId: number, writesFirst: readonly string[] = []): Promise<RequestViewRows> {
  if (!Number.isSafeInteger(requestId) || requestId < 1) throw new RangeError(`a request id is a positive integer, got ${requestId}`);
  const id = String(requestId);
  const statements = [
    `select * from requests where id = ${id}`,
    `select * from proposals where request_id = ${id} order by id`,
    `select * from request_pauses where request_id = ${id} order by id`,
    `select * from actions where request_id = ${id} order by id`,
    `select * from request_notices where request_id = ${id} order by id`,
    `select proposal_id, member, decision, reason, created_at from votes
      where proposal_id in (select id from proposals where request_id = ${id}) order by id`,
    `select reference from requests where id = (select possible_repeat_of from requests where id = ${id})`,
    `select * from complaints where about_request_id = ${id} order by id`,
    `select n.processor_id, p.name as processor, n.change, n.owed_since, n.told_at, n.told_by
      from recipient_notices n join processors p on p.id = n.processor_id where n.request_id = ${id} order by p.name, n.id`,
  ];
  const sent = (await db.raw([...writesFirst, ...statements].join(';\n'))) as unknown as { rows: unknown[] }[] | { rows: unknown[] };
  // The view's results are the last ones (a write may be several statements); one statement alone
  // comes back as a result, not a list of them.
  const results = Array.isArray(sent) ? sent.slice(-statements.length) : [sent];
  const rows = <T>(i: number): T[] => (results[i]?.rows ?? []) as T[];
  return {
    request: rows<RequestRow>(0)[0] ?? null,
    proposals: rows<ProposalRow>(1),
    pauses: rows<PauseRow>(2),
    actions: rows<ActionRow>(3),
    notices: rows<NoticeRow>(4),
    votes: rows<VoteRow>(5),
    repeatReference: rows<{ reference: string }>(6)[0]?.reference ?? null,
    complaints: rows<ComplaintRow>(7),
    recipients: rows<RecipientNoticeRow>(8),
  };
}

/** A request's waits and notices, what its clock is computed from, in one round trip (as requestViewRows). */
export async function clockHistoryRows(db: Db | Knex.Transaction, requestId: number): Promise<{ pauses: PauseRow[]; notices: NoticeRow[] }> {
  if (!Number.isSafeInteger(requestId) || requestId < 1) throw new RangeError(`a request id is a positive integer, got ${requestId}`);
  const results = (await db.raw([
    `select * from request_pauses where request_id = ${requestId} order by id`,
    `select * from request_notices where request_id = ${requestId} order by id`,
  ].join(';\n'))) as unknown as { rows: unknown[] }[];
  return { pauses: (results[0]?.rows ?? []) as PauseRow[], notices: (results[1]?.rows ?? []) as NoticeRow[] };
}
