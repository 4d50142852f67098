import type { Knex } from 'knex';
import type { ActionRow } from './actions.js';
import type { ComplaintRow } from './complaints.js';
import type { Db } from './database.js';
import type { PauseRow } from './pauses.js';
import type { ProposalRow, VoteRow } from './proposals.js';
import type { RecipientNoticeRow } from './recipient-notices.js';
import type { NoticeRow } from './request-notices.js';
import { execute, prepared, queryPrepared, warmPrepared } from './prepared-statements.js';
import type { RequestRow } from './requests.js';
import { sqlId } from './sql-literals.js';

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

/** The view's nine selects, each the one its register module runs on its own (pauses.ts, actions.ts, request-notices.ts, ...). */
const VIEW = {
  request: prepared('view_request', ['bigint'], 'select * from requests where id = $1'),
  proposals: prepared('view_proposals', ['bigint'], 'select * from proposals where request_id = $1 order by id'),
  pauses: prepared('view_pauses', ['bigint'], 'select * from request_pauses where request_id = $1 order by id'),
  actions: prepared('view_actions', ['bigint'], 'select * from actions where request_id = $1 order by id'),
  notices: prepared('view_notices', ['bigint'], 'select * from request_notices where request_id = $1 order by id'),
  votes: prepared('view_votes', ['bigint'], `select proposal_id, member, decision, reason, created_at from votes
      where proposal_id in (select id from proposals where request_id = $1) order by id`),
  repeat: prepared('view_repeat', ['bigint'], 'select reference from requests where id = (select possible_repeat_of from requests where id = $1)'),
  complaints: prepared('view_complaints', ['bigint'], 'select * from complaints where about_request_id = $1 order by id'),
  recipients: prepared('view_recipients', ['bigint'], `select n.processor_id, p.name as processor, n.change, n.owed_since, n.told_at, n.told_by
      from recipient_notices n join processors p on p.id = n.processor_id where n.request_id = $1 order by p.name, n.id`),
} as const;
const VIEW_ORDER = [VIEW.request, VIEW.proposals, VIEW.pauses, VIEW.actions, VIEW.notices, VIEW.votes, VIEW.repeat, VIEW.complaints, VIEW.recipients];

/** The view's reads prepared and planned on a session of the pool at start (warmPrepared). */
export async function warmRequestViewReads(db: Db, session: unknown): Promise<void> {
  await warmPrepared(db, session, VIEW_ORDER.map((statement) => ({ statement, args: ['0'] })));
}

/**
 * The rows of one request's view in ONE round trip: nine prepared selects run as one
 * multi-statement query (prepared-statements.ts; the simple protocol takes no parameters, so the
 * id, a checked integer, is written in). Rows come back in the same order and with the same types
 * as from the register modules; inside a transaction they see its writes.
 * `writesFirst`: statements with their values written in (sql-literals.ts) that change what the view
 * shows, sent before the selects in the same round trip (a vote's new proposal, cast-vote.ts).
 */
export async function requestViewRows(db: Db | Knex.Transaction, requestId: number, writesFirst: readonly string[] = []): Promise<RequestViewRows> {
  const id = sqlId(requestId);
  const selects = VIEW_ORDER.map((statement) => execute(statement, id));
  // The view's results are the last ones (a write may be several statements).
  const results = (await queryPrepared(db, VIEW_ORDER, [...writesFirst, ...selects])).slice(-selects.length);
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
  const id = sqlId(requestId);
  const results = await queryPrepared(db, [VIEW.pauses, VIEW.notices], [execute(VIEW.pauses, id), execute(VIEW.notices, id)]);
  return { pauses: (results[0]?.rows ?? []) as PauseRow[], notices: (results[1]?.rows ?? []) as NoticeRow[] };
}
