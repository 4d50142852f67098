import { tally } from '../../domain/approvals.js';
import { dateInTimeZone, formatDateWithWeekday } from '../../domain/dates.js';
import { noticeLine } from '../../domain/notices-owed.js';
import { clockSummary, WAIT_WORDS } from '../../domain/request-clock.js';
import { describeStatus } from '../../domain/request-states.js';
import { REQUEST_TYPES } from '../../domain/request-types.js';
import { mentionList, userText } from '../mention.js';
import { daysLeft, formatInstant, maskedSubject, who } from './request-lines.js';
import type { ProposalFacts } from './proposal-views.js';
import type { RequestDetailView as RequestDescription, TrailEvent } from './request-views.js';

/**
 * `/dsr show <ref>`: the whole story of one request as plain text, for the person who asked.
 * Minimised like the card (masked subject, no free-text notes from pauses), because a private
 * reply can still be read over a shoulder or pasted elsewhere.
 */
export function renderRequestDetail(d: RequestDescription): string {
  const { request } = d.view;
  const lines = [
    `${request.reference} · ${REQUEST_TYPES[request.type]} · ${describeStatus(request.status, request.controller !== null)}`,
    `Subject: ${maskedSubject(request, true)}; received ${formatDateWithWeekday(request.received_on)} by ${request.received_via}; logged by ${who(request.requested_by)}`,
    `Clock: ${clockLine(d)}`,
    `Identity: ${identityLine(d)}`,
  ];
  if (request.agent_name) lines.push(`Agent: ${userText(request.agent_name)} (proof of authority needed; nothing is disclosed to the agent)`);
  if (request.controller) lines.push(`Controller: ${userText(request.controller)} (pass the request to them and assist)`);
  if (d.view.complaints?.length) lines.push(`Complaints about it: ${d.view.complaints.join(', ')}`);
  if (d.view.possibleRepeatOf) lines.push(`Possible repeat of ${d.view.possibleRepeatOf}`);
  if (request.status_reason) lines.push(`Note: ${userText(request.status_reason)}`);
  if (d.view.notices.length > 0) lines.push('Telling the individual:', ...bullets(noticesLine(d), ''));
  if (d.view.recipients.length > 0) {
    lines.push('Recipients to tell (Art 19):', ...bullets(d.view.recipients.map((r) => `${userText(r.processor)} (${r.change}): ${r.told_at === null ? `owed since ${dateInTimeZone(r.owed_since, d.timezone)}` : `told ${dateInTimeZone(r.told_at, d.timezone)} by ${who(r.told_by ?? '')}`}`), ''));
  }
  lines.push('Proposals:', ...bullets(d.view.proposals.map((p) => proposalLine(d, p)), 'none yet'));
  lines.push('Actions:', ...bullets(d.view.actions.map((a) => `${a.kind}: ${a.status}${a.status === 'done' && a.result ? ` (${String(a.result.summary ?? 'carried out')})` : ''}${a.last_error ? ` (last error: ${a.last_error})` : ''}`), 'none yet'));
  lines.push('Timeline:', ...bullets(d.trail.map((e) => `${formatInstant(e.occurred_at, d.timezone)} ${who(e.actor)} ${describeEvent(e)}`), 'no events recorded'));
  return lines.join('\n');
}

function bullets(items: readonly string[], empty: string): string[] {
  return (items.length > 0 ? items : [empty]).map((item) => `• ${item}`);
}

/** The clock as the pure function computes it (src/domain/request-clock.ts), with every wait and how it counted. */
function clockLine({ view }: RequestDescription): string {
  const { request, clock } = view;
  const parts = [clockSummary(clock), clock.started];
  if (clock.rule !== 'processor') {
    if (clock.relevantDay !== null) parts.push(`relevant day ${clock.relevantDay}`);
    parts.push(`${clock.stoppedDays} stopped day${clock.stoppedDays === 1 ? '' : 's'}`);
    if (clock.firstPeriodEnd !== null) parts.push(`first period ends ${clock.firstPeriodEnd}`);
  }
  for (const w of clock.waits) {
    const span = w.to === null ? `since ${w.from}` : `${w.from} to ${w.to}`;
    const effect = w.ignored !== null ? `not counted: ${w.ignored}` : w.kind === 'clarification' ? `${w.days} day${w.days === 1 ? '' : 's'} stopped` : 'clock started afresh on arrival';
    parts.push(`${WAIT_WORDS[w.kind].awaiting} asked ${span} (${w.to === null && w.ignored === null ? 'awaited' : effect})`);
  }
  const extension: Record<typeof clock.extension, string> = {
    none: 'not extended',
    'notice-owed': `extended to ${clock.extendedDue ?? ''} if the individual is told by ${clock.firstPeriodEnd ?? ''}`,
    valid: `extended to ${clock.extendedDue ?? ''}`,
    'not-valid': `NOT VALIDLY EXTENDED (the individual was not told by ${clock.firstPeriodEnd ?? ''}); due ${clock.unextendedDue ?? ''}`,
  };
  if (clock.rule !== 'processor') parts.push(`${extension[clock.extension]}${request.extended ? `: ${userText(request.extension_reason)}` : ''}`);
  return parts.join('; ');
}

function noticesLine({ view }: RequestDescription): string[] {
  return view.notices.map((n) => noticeLine({ kind: n.kind, owedSince: n.owed_since, dueBy: n.due_by, toldOn: n.told_on }, view.today));
}

const IDENTITY_WORDS = {
  pending: 'awaiting the committee',
  'evidence-requested': 'evidence requested: the clock starts afresh when it arrives',
  approved: 'verified',
  rejected: 'not verified',
} as const;

function identityLine({ identity, timezone, view }: RequestDescription): string {
  if (!identity) return view.request.controller !== null ? "the controller's to check (processor route)" : 'no check recorded';
  const decided = identity.decided_at ? ` on ${dateInTimeZone(identity.decided_at, timezone)}` : '';
  return `${IDENTITY_WORDS[identity.status]}${decided}`;
}

function proposalLine(d: RequestDescription, proposal: ProposalFacts): string {
  const votes = d.view.votes.filter((v) => v.proposal_id === proposal.id).map((v) => ({ memberId: v.member, decision: v.decision }));
  const count = tally(votes, proposal.quorum);
  const heading = userText(String(proposal.summary.heading ?? proposal.kind));
  const rejected = count.rejections.length > 0 ? `; rejected by ${mentionList(count.rejections)}` : '';
  const reason = proposal.decision_reason ? ` (${userText(proposal.decision_reason)})` : '';
  return `${heading}: ${proposal.status}${proposal.status === 'open' ? `, ${count.remaining} more approval(s) needed` : reason}; ${count.summary} (${mentionList(count.approvals)})${rejected}`;
}

function describeEvent(e: TrailEvent): string {
  const f = e.facts;
  const s = (key: string) => String(f[key] ?? '');
  switch (e.action) {
    case 'request.logged': return `logged the request (received ${s('received_on')}, due ${s('due_on')})`;
    case 'vote.approve': return `approved the ${s('kind')} (${s('tally')})`;
    case 'vote.reject': return `rejected the ${s('kind')}`;
    case 'proposal.approved': return `decided it: ${s('kind')} approved`;
    case 'proposal.rejected': return `decided it: ${s('kind')} rejected`;
    case 'request.paused': return s('kind') === 'clarification' ? 'stopped the clock for clarification' : `asked for ${s('kind')}: clock not started until it arrives`;
    case 'request.resumed': return f.arrived_on !== undefined
      ? `recorded ${s('kind')} received ${s('arrived_on')}${s('kind') === 'clarification' ? '' : `: clock starts afresh on ${s('relevant_on')}`}; due ${f.due_on === null ? 'not set' : s('due_on')}`
      : `resumed the clock (${s('days')} day(s) added; due ${s('due_on')})`;
    case 'request.notice_owed': return `the individual is owed the ${s('kind')} notice by ${s('due_by')}`;
    case 'request.notice_told': return `recorded the individual told of the ${s('kind')} on ${s('told_on')}`;
    case 'request.forwarded': return `recorded the request passed to the controller on ${s('forwarded_on')}`;
    case 'request.clock_recomputed': return `clock recomputed under Art 12A: due ${f.due_on === null ? 'not set' : s('due_on')} (was ${s('previous_due_on')})`;
    case 'extension.proposed': return `proposed an extension to ${s('extended_due_on')}`;
    case 'request.extended': return `deadline extended to ${s('due_on')}`;
    case 'refusal.proposed': return `proposed refusal as manifestly ${s('grounds')}`;
    case 'request.corrections_entered': return `entered corrections to ${Array.isArray(f.fields) ? f.fields.join(', ') : ''}`;
    case 'request.closed': return `closed the request as ${s('outcome')}`;
    default: return e.action.replace(/[._]/g, ' ');
  }
}
