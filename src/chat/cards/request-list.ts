import { dateInTimeZone } from '../../domain/dates.js';
import { clockSummary } from '../../domain/request-clock.js';
import { describeStatus } from '../../domain/request-states.js';
import { maskedSubject } from './request-lines.js';
import type { RequestLine, RequestListView as RequestList } from './request-views.js';

const HEADINGS: Readonly<Record<RequestList['filter'], string>> = {
  open: 'Open requests, nearest deadline first',
  overdue: 'Overdue requests, most overdue first',
  'due-soon': 'Open requests due within 7 days',
  closed: 'Closed requests, most recently closed first',
  all: 'All requests, newest first',
};

/** `/dsr list`: one line per request, personal data masked as on cards. */
export function renderRequestList(list: RequestList): string {
  if (list.requests.length === 0) {
    const hint = list.filter === 'all' ? 'Log one with /dsr new.' : 'Try /dsr list all.';
    return `No ${list.filter === 'all' ? '' : `${list.filter} `}requests (today is ${list.today}). ${hint}`;
  }
  const lines = list.requests.map((request) => line(list, request));
  const rest = list.total - list.requests.length;
  const more = rest > 0 ? [`…and ${rest} more (${list.total} in all). ${NARROW[list.filter]}`] : [];
  return [`${HEADINGS[list.filter]} (today is ${list.today}):`, ...lines, ...more].join('\n');
}

/** Where the rest of a long list can be seen, by filter. */
const NARROW: Readonly<Record<RequestList['filter'], string>> = {
  open: 'Narrow it with /dsr list overdue or /dsr list due-soon; /dsr show <ref> shows one request.',
  overdue: 'The most overdue are shown first; /dsr show <ref> shows one request.',
  'due-soon': 'The nearest deadlines are shown first; /dsr show <ref> shows one request.',
  closed: 'The most recently closed are shown; /dsr show <ref> shows any request.',
  all: 'The newest are shown; /dsr list open or /dsr list closed narrows it, and /dsr show <ref> shows any request.',
};

function line(list: RequestList, request: RequestLine): string {
  const clock = list.clocks.get(request.id);
  const parts = [request.reference, request.type, maskedSubject(request), describeStatus(request.status, request.controller !== null)];
  if (clock) parts.push(clockSummary(clock));
  if (request.closed_at !== null) parts.push(`closed ${dateInTimeZone(request.closed_at, list.timezone)}`);
  return `• ${parts.join(' · ')}`;
}
