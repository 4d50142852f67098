import { findMember, memberKey } from '../register/committee.js';
import { openProposalsAwaiting, type ProposalRow } from '../register/proposals.js';
import { getRequest, openRequestsLoggedBy, type RequestRow } from '../register/requests.js';
import type { IsoDate } from '../domain/dates.js';
import { clockSummary, type RequestClock } from '../domain/request-clock.js';
import { clockEnv, clocksFor } from './request-clock.js';
import { REQUEST_TYPES } from '../domain/request-types.js';
import type { ServiceContext } from './context.js';

/** What waits for a Slack user (their App Home tab): votes owed and requests they logged, nearest deadline first. */
export interface HomeItem {
  readonly reference: string;
  readonly type: string;
  readonly due: IsoDate | null;
  /** The clock in words (src/domain/request-clock.ts), or null for what has none (a purge). */
  readonly clock: string | null;
  readonly note: string;
}

export interface HomeData {
  readonly isMember: boolean;
  readonly awaitingVote: readonly HomeItem[];
  readonly loggedByYou: readonly HomeItem[];
}

export async function loadHome(services: ServiceContext, userId: string): Promise<HomeData> {
  const key = memberKey('slack', userId);
  const member = await findMember(services.db, 'slack', userId);
  const env = clockEnv(services.config, services.clock());
  const logged = await openRequestsLoggedBy(services.db, key);
  const loggedClocks = await clocksFor(services.db, logged, env);
  const loggedByYou = logged.map((r) => requestItem(r, loggedClocks.get(r.id) ?? null, 'logged by you'));
  if (!member) return { isMember: false, awaitingVote: [], loggedByYou: byDeadline(loggedByYou) };
  // Nobody may vote on what they asked for themselves, so those are not "awaiting" them.
  const proposals = (await openProposalsAwaiting(services.db, key)).filter((p) => p.requested_by !== key);
  const requests = await Promise.all(proposals.map(async (p) => (p.request_id === null ? null : getRequest(services.db, p.request_id))));
  const clocks = await clocksFor(services.db, requests.filter((r): r is RequestRow => r !== null), env);
  const awaitingVote = proposals.map((p, i) => {
    const request = requests[i] ?? null;
    return proposalItem(p, request, request ? clocks.get(request.id) ?? null : null);
  });
  return { isMember: true, awaitingVote: byDeadline(awaitingVote), loggedByYou: byDeadline(loggedByYou) };
}

function requestItem(request: RequestRow, clock: RequestClock | null, note: string): HomeItem {
  return { reference: request.reference, type: REQUEST_TYPES[request.type], due: clock?.due ?? null, clock: clock ? clockSummary(clock) : null, note };
}

function proposalItem(proposal: ProposalRow, request: RequestRow | null, clock: RequestClock | null): HomeItem {
  const heading = String(proposal.summary.heading ?? `Proposed ${proposal.kind}`);
  return {
    reference: String(proposal.summary.reference ?? request?.reference ?? `proposal ${proposal.id}`),
    type: request ? REQUEST_TYPES[request.type] : proposal.kind === 'purge' ? 'Quarterly deletion' : proposal.kind,
    due: clock?.due ?? null,
    clock: clock ? clockSummary(clock) : null,
    note: heading,
  };
}

function byDeadline(items: HomeItem[]): HomeItem[] {
  return [...items].sort((a, b) => (a.due ?? '9999-12-31').localeCompare(b.due ?? '9999-12-31') || a.reference.localeCompare(b.reference));
}

