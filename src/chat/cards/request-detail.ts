import { tally } from '../../domain/approvals.js';
import { dateInTimeZone, formatDateWithWeekday } from '../../domain/dates.js';
import { REQUEST_STATUSES } from '../../domain/request-states.js';
import { REQUEST_TYPES } from '../../domain/request-types.js';
import type { ProposalRow } from '../../register/proposals.js';
import type { RequestTrailEvent } from '../../register/requests.js';
import type { RequestDescription } from '../../services/describe-request.js';
import { mentionList, userText } from '../mention.js';
import { daysLeft, formatInstant, maskedSubject, who } from './request-lines.js';

/**
 * `/dsr show <ref>`: the whole story of one request as plain text, for the person who asked.
 * Minimised like the card (masked subject, no free-text notes from pauses), because a private
 * reply can still be read over a shoulder or pasted elsewhere.
 */
export function renderRequestDetail(d: RequestDescription): string {
  const { request } = d.view;
  const lines = [
    `${request.reference} · ${REQUEST_TYPES[request.type]} · ${REQUEST_STATUSES[request.status]}`,
    `Subject: ${maskedSubject(request, true)}; received ${formatDateWithWeekday(request.received_on)} by ${request.received_via}; logged by ${who(request.requested_by)}`,
    `Clock: ${clockLine(d)}`,
    `Identity: ${identityLine(d)}`,
  ];
  if (request.agent_name) lines.push(`Agent: ${userText(request.agent_name)} (proof of authority needed; nothing is disclosed to the agent)`);
  if (request.controller) lines.push(`Controller: ${userText(request.controller)} (pass the request to them and assist)`);
  if (d.view.complaints?.length) lines.push(`Complaints about it: ${d.view.complaints.join(', ')}`);
  if (d.view.possibleRepeatOf) lines.push(`Possible repeat of ${d.view.possibleRepeatOf}`);
  if (request.status_reason) lines.push(`Note: ${userText(request.status_reason)}`);
  lines.push('Proposals:', ...bullets(d.view.proposals.map((p) => proposalLine(d, p)), 'none yet'));
  lines.push('Actions:', ...bullets(d.view.actions.map((a) => `${a.kind}: ${a.status}${a.status === 'done' && a.result ? ` (${String(a.result.summary ?? 'carried out')})` : ''}${a.last_error ? ` (last error: ${a.last_error})` : ''}`), 'none yet'));
  lines.push('Timeline:', ...bullets(d.trail.map((e) => `${formatInstant(e.occurred_at, d.timezone)} ${who(e.actor)} ${describeEvent(e)}`), 'no events recorded'));
  return lines.join('\n');
}

function bullets(items: readonly string[], empty: string): string[] {
  return (items.length > 0 ? items : [empty]).map((item) => `• ${item}`);
}

function clockLine({ view, today }: RequestDescription): string {
  const { request, pauses } = view;
  const parts = [`received ${request.received_on}`];
  parts.push(request.closed_at === null
    ? `due ${formatDateWithWeekday(request.due_on)} (${daysLeft(today, request.due_on)})`
    : `was due ${formatDateWithWeekday(request.due_on)}`);
  parts.push(`${request.paused_days} paused day${request.paused_days === 1 ? '' : 's'} added`);
  const open = pauses.find((p) => p.resumed_on === null);
  if (open) parts.push(`clock paused since ${open.paused_on} (${open.kind})`);
  for (const p of pauses.filter((x) => x.resumed_on !== null)) parts.push(`paused ${p.paused_on} to ${p.resumed_on ?? ''} (${p.kind})`);
  parts.push(request.extended ? `extended: ${userText(request.extension_reason)}` : 'not extended');
  return parts.join('; ');
}

const IDENTITY_WORDS = {
  pending: 'awaiting the committee',
  'evidence-requested': 'evidence requested, clock paused',
  approved: 'verified',
  rejected: 'not verified',
} as const;

function identityLine({ identity, timezone }: RequestDescription): string {
  if (!identity) return 'no check recorded';
  const decided = identity.decided_at ? ` on ${dateInTimeZone(identity.decided_at, timezone)}` : '';
  return `${IDENTITY_WORDS[identity.status]}${decided}`;
}

function proposalLine(d: RequestDescription, proposal: ProposalRow): string {
  const votes = d.view.votes.filter((v) => v.proposal_id === proposal.id).map((v) => ({ memberId: v.member, decision: v.decision }));
  const count = tally(votes, proposal.quorum);
  const heading = String(proposal.summary.heading ?? proposal.kind);
  const rejected = count.rejections.length > 0 ? `; rejected by ${mentionList(count.rejections)}` : '';
  const reason = proposal.decision_reason ? ` (${userText(proposal.decision_reason)})` : '';
  return `${heading}: ${proposal.status}${proposal.status === 'open' ? `, ${count.remaining} more approval(s) needed` : reason}; ${count.summary} (${mentionList(count.approvals)})${rejected}`;
}

function describeEvent(e: RequestTrailEvent): string {
  const f = e.facts;
  const s = (key: string) => String(f[key] ?? '');
  switch (e.action) {
    case 'request.logged': return `logged the request (received ${s('received_on')}, due ${s('due_on')})`;
    case 'vote.approve': return `approved the ${s('kind')} (${s('tally')})`;
    case 'vote.reject': return `rejected the ${s('kind')}`;
    case 'proposal.approved': return `decided it: ${s('kind')} approved`;
    case 'proposal.rejected': return `decided it: ${s('kind')} rejected`;
    case 'request.paused': return `paused the clock (${s('kind')})`;
    case 'request.resumed': return `resumed the clock (${s('days')} day(s) added; due ${s('due_on')})`;
    case 'extension.proposed': return `proposed an extension to ${s('extended_due_on')}`;
    case 'request.extended': return `deadline extended to ${s('due_on')}`;
    case 'refusal.proposed': return `proposed refusal as manifestly ${s('grounds')}`;
    case 'request.corrections_entered': return `entered corrections to ${Array.isArray(f.fields) ? f.fields.join(', ') : ''}`;
    case 'request.closed': return `closed the request as ${s('outcome')}`;
    default: return e.action.replace(/[._]/g, ' ');
  }
}
