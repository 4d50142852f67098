import type { Db } from '../register/database.js';
import type { RequestCardView } from '../chat/cards/request-views.js';
import type { ActionRow } from '../register/actions.js';
import type { PauseRow } from '../register/pauses.js';
import type { ProposalRow, VoteRow } from '../register/proposals.js';
import type { NoticeRow } from '../register/request-notices.js';
import type { RecipientNoticeRow } from '../register/recipient-notices.js';
import type { RequestRow } from '../register/requests.js';
import { requestViewRows } from '../register/request-view-rows.js';
import { clockOf, type ClockEnv } from './request-clock.js';
import type { Knex } from 'knex';

/**
 * Everything a request card or `/dsr show` displays, read in one place: the card's view
 * (chat/cards/request-views.ts) with the rows as the register read them.
 */
export interface RequestView extends RequestCardView {
  readonly request: RequestRow;
  readonly proposals: readonly ProposalRow[];
  readonly votes: readonly VoteRow[];
  readonly pauses: readonly PauseRow[];
  readonly actions: readonly ActionRow[];
  readonly notices: readonly NoticeRow[];
  readonly recipients: readonly RecipientNoticeRow[];
}

/**
 * The view of a request its intake is still writing, from the rows that intake wrote: until it
 * commits no one else can see the request, so nothing else refers to it, and the card needs no
 * read at all (a test checks the two agree: test/integration/intake-reference.test.ts).
 */
export function newRequestView(request: RequestRow, proposal: ProposalRow, possibleRepeatOf: string | null, env: ClockEnv): RequestView {
  return { request, proposals: [proposal], votes: [], pauses: [], actions: [], possibleRepeatOf, complaints: [], clock: clockOf(request, [], [], env), notices: [], today: env.today, recipients: [] };
}

/** The view as the register holds it: one round trip (request-view-rows.ts), with `writesFirst` sent before it. */
export async function loadRequestView(db: Db | Knex.Transaction, requestId: number, env: ClockEnv, writesFirst: readonly string[] = []): Promise<RequestView> {
  const rows = await requestViewRows(db, requestId, writesFirst);
  const request = rows.request;
  if (!request) throw new Error(`request ${requestId} does not exist`);
  const { proposals, votes, pauses, actions, notices, recipients } = rows;
  const complaints = rows.complaints.map((c) => `${c.reference} (${c.status})`);
  return { request, proposals, votes, pauses, actions, possibleRepeatOf: rows.repeatReference, complaints, clock: clockOf(request, pauses, notices, env), notices, today: env.today, recipients };
}
