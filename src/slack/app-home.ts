import type { App, types } from '@slack/bolt';
import { findMember, memberKey } from '../register/committee.js';
import { openProposalsAwaiting, type ProposalRow } from '../register/proposals.js';
import { getRequest, openRequestsLoggedBy, type RequestRow } from '../register/requests.js';
import type { IsoDate } from '../domain/dates.js';
import { clockSummary, type RequestClock } from '../domain/request-clock.js';
import { clockEnv, clocksFor } from '../services/request-clock.js';
import { REQUEST_TYPES } from '../domain/request-types.js';
import type { ServiceContext } from '../services/context.js';
import { replyBlocks } from './block-kit.js';
import type { HandlerDeps } from './handler-kit.js';

/**
 * The App Home tab: what is waiting for this person, nearest deadline first. Re-published on every
 * visit, so a retried app_home_opened only publishes the same view again.
 */
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

export function homeView(data: HomeData): types.HomeView {
  const lines = (items: readonly HomeItem[]) => items
    .map((i) => `• *${i.reference}* · ${i.type} · ${i.clock ?? 'no statutory deadline'} · ${i.note}`).join('\n');
  const parts: string[] = [];
  if (!data.isMember) {
    parts.push('You are not on the Information Governance Committee, so nothing here waits for your vote. Anyone can log a data subject request with /dsr; a chair adds committee members with /gov members add.');
  } else {
    parts.push(`*Awaiting your vote* (${data.awaitingVote.length})`, data.awaitingVote.length ? lines(data.awaitingVote) : 'Nothing: you are up to date.');
  }
  if (data.isMember || data.loggedByYou.length > 0) {
    parts.push(`*Open requests you logged* (${data.loggedByYou.length})`, data.loggedByYou.length ? lines(data.loggedByYou) : 'None open.');
  }
  parts.push('Cards with the buttons are in the committee channel; /dsr list shows every open request.');
  return { type: 'home', blocks: replyBlocks(parts.join('\n\n')) };
}

export function registerAppHome(bolt: App, deps: HandlerDeps): void {
  bolt.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await deps.guard('app_home_opened', async () => {
      await deps.client.views.publish({ user_id: event.user, view: homeView(await loadHome(deps.services, event.user)) });
    }, async () => undefined);
  });
}
