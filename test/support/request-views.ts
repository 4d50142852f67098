import type { NoticeRow } from '../../src/register/request-notices.js';
import type { RequestRow } from '../../src/register/requests.js';
import { clockOf } from '../../src/services/request-clock.js';
import type { RequestView } from '../../src/services/request-view.js';

/** The columns a test's request row may leave out: the clock's stored copy and its model. */
export type TestRequestRow = Omit<RequestRow, 'relevant_on' | 'forwarded_on' | 'clock_model'> & Partial<Pick<RequestRow, 'relevant_on' | 'forwarded_on' | 'clock_model'>>;

/** A RequestView as the service builds it, with the clock computed the one way (england-and-wales, Europe/London). */
export function viewWithClock(
  view: Omit<RequestView, 'request' | 'clock' | 'notices' | 'today'> & { request: TestRequestRow; notices?: NoticeRow[] },
  today = '2026-03-10',
): RequestView {
  const request: RequestRow = { relevant_on: null, forwarded_on: null, clock_model: 2, ...view.request };
  const notices = view.notices ?? [];
  const clock = clockOf(request, view.pauses, notices, { region: 'england-and-wales', forwardWithinDays: 2, timezone: 'Europe/London', today });
  return { ...view, request, notices, clock, today };
}
