import { addDays, type IsoDate } from '../domain/dates.js';
import { openPausesFor } from '../register/pauses.js';
import { listRequests, type RequestFilter, type RequestRow } from '../register/requests.js';
import type { ServiceContext } from './context.js';
import { committeeToday } from './request-changes.js';

export const REQUEST_FILTERS: readonly RequestFilter[] = ['open', 'overdue', 'due-soon', 'closed', 'all'];

/** "Due soon" is the window of the first SLA reminder: due within the next seven days. */
export const DUE_SOON_DAYS = 7;
export const LIST_LIMIT = 50;

export interface RequestList {
  readonly filter: RequestFilter;
  readonly today: IsoDate;
  readonly timezone: string;
  readonly requests: readonly RequestRow[];
  /** Ids of requests whose clock is paused right now. */
  readonly paused: ReadonlySet<number>;
  /** More matched than are shown. */
  readonly truncated: boolean;
}

export async function listRequestsFor(ctx: ServiceContext, filter: RequestFilter): Promise<RequestList> {
  const today = committeeToday(ctx, ctx.clock());
  const rows = await listRequests(ctx.db, filter, today, addDays(today, DUE_SOON_DAYS), LIST_LIMIT + 1);
  const requests = rows.slice(0, LIST_LIMIT);
  const pauses = await openPausesFor(ctx.db, requests.filter((r) => r.closed_at === null).map((r) => r.id));
  return { filter, today, timezone: ctx.config.timezone, requests, paused: new Set(pauses.map((p) => p.request_id)), truncated: rows.length > LIST_LIMIT };
}
