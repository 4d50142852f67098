import { dateInTimeZone } from '../../domain/dates.js';
import { REQUEST_STATUSES } from '../../domain/request-states.js';
import type { RequestRow } from '../../register/requests.js';
import type { RequestList } from '../../services/list-requests.js';
import { daysLeft, maskedSubject } from './request-lines.js';

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
  const more = list.truncated ? [`Only the first ${list.requests.length} are shown.`] : [];
  return [`${HEADINGS[list.filter]} (today is ${list.today}):`, ...lines, ...more].join('\n');
}

function line(list: RequestList, request: RequestRow): string {
  const parts = [request.reference, request.type, maskedSubject(request), REQUEST_STATUSES[request.status]];
  if (request.closed_at === null) {
    const paused = list.paused.has(request.id) ? ', clock paused' : '';
    parts.push(`due ${request.due_on} (${daysLeft(list.today, request.due_on)}${paused})`);
  } else {
    parts.push(`was due ${request.due_on}, closed ${dateInTimeZone(request.closed_at, list.timezone)}`);
  }
  return `• ${parts.join(' · ')}`;
}
