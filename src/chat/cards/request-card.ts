import { tally } from '../../domain/approvals.js';
import { formatDateWithWeekday } from '../../domain/dates.js';
import { maskEmail, maskName } from '../../domain/masking.js';
import { noticeLine } from '../../domain/notices-owed.js';
import { describeStatus } from '../../domain/request-states.js';
import { REQUEST_TYPES } from '../../domain/request-types.js';
import { approveButton, formButton, recipientToldButton, rejectButton, type Button, type Card, type CardSection, type Fact } from '../card.js';
import { mention, mentionList, userText } from '../mention.js';
import { who } from './request-lines.js';
import type { ProposalFacts, VoteFacts } from './proposal-views.js';
import type { RequestCardView as RequestView } from './request-views.js';

const PROPOSAL_NOUNS: Record<ProposalFacts['kind'], string> = {
  identity: 'identity', action: 'action', extension: 'extension', refusal: 'refusal', purge: 'purge', withdrawal: 'withdrawal',
};

/** The one card each request has in the committee channel, re-rendered after every change. */
export function renderRequestCard(view: RequestView): Card {
  const { request } = view;
  const facts: Fact[] = [
    { label: 'Type', value: REQUEST_TYPES[request.type] },
    { label: 'Subject', value: subjectLine(view) },
    { label: 'Received', value: `${formatDateWithWeekday(request.received_on)} by ${request.received_via}` },
    { label: 'Clock', value: view.clock.started },
    { label: view.clock.rule === 'processor' ? 'Forward by' : 'Due', value: dueLine(view) },
    { label: 'Register', value: registerLine(view) },
    { label: 'Logged by', value: who(request.requested_by) },
  ];
  if (request.agent_name) {
    facts.push({ label: 'Agent', value: `made by ${userText(request.agent_name)} on the individual's behalf: proof of authority needed; nothing is disclosed to the agent, exports go to the individual alone` });
  }
  if (request.controller) {
    facts.push({ label: 'Controller', value: `data processed for ${userText(request.controller)}: pass the request to them at once and assist; identity and the answer are theirs (Art 28(3)(e))` });
  }
  const objection = request.type === 'objection' ? request.details.objection as { about?: string; erase?: boolean } | undefined : undefined;
  if (objection?.about === 'other') {
    facts.push({ label: 'Objection', value: `to processing on legitimate interests (referee or case-study use, profiling): processing of the matched records restricted at once while the committee decides on compelling grounds (Art 18(1)(d), Art 21(1))${objection.erase ? '; erasure asked if upheld' : ''}` });
  } else if (objection?.about === 'marketing') {
    facts.push({ label: 'Objection', value: 'to direct marketing: absolute (Art 21(3)), tag "Do not contact"' });
  }
  const suppressed = request.details.suppressed as { kind: string; reason: string; tag: string | null; sourceRef: string | null }[] | undefined;
  if (Array.isArray(suppressed) && suppressed.length > 0) {
    facts.push({ label: 'Suppression list', value: suppressed.map((e) => `${e.kind} (${userText(e.tag ?? e.reason)}${e.sourceRef ? `, ${userText(e.sourceRef)}` : ''})`).join('; ') });
  }
  if (view.possibleRepeatOf) {
    facts.push({ label: 'Possible repeat', value: `same subject as ${view.possibleRepeatOf} shortly before: the committee may refuse a manifestly repetitive request` });
  }
  if (view.complaints?.length) facts.push({ label: 'Complaints about it', value: view.complaints.join(', ') });
  const sections: CardSection[] = view.proposals.map((proposal) => proposalSection(view, proposal));
  if (view.notices.length > 0) sections.push(noticesSection(view));
  for (const action of view.actions) {
    if (action.status === 'done' && action.result) sections.push({ heading: 'Done', text: userText(String(action.result.summary ?? 'carried out')) });
    if (action.status === 'failed') sections.push({ heading: 'Action failed', text: `${action.last_error ?? 'unknown error'}: the committee should look into it` });
    if (action.status === 'queued' && action.last_error) sections.push({ heading: 'Retrying', text: action.last_error });
  }
  if (view.recipients.length > 0) sections.push(recipientsSection(view));
  if (request.status_reason && !request.closed_at) sections.push({ heading: 'Note', text: userText(request.status_reason) });
  return {
    key: `request:${request.id}`,
    reference: request.reference,
    title: `${REQUEST_TYPES[request.type]} request ${request.reference}`,
    status: statusLine(view),
    facts,
    sections,
    summary: `${request.reference}: ${REQUEST_TYPES[request.type]} request, ${statusLine(view)}${view.clock.due ? `, due ${view.clock.due}` : ''}`,
  };
}

/** What the individual must be told (Art 12(3)–(4)), with the wording to use, and how to record it. */
function noticesSection({ request, notices, today, proposals }: RequestView): CardSection {
  // The Art 18(3) notice gives the committee's grounds (Art 12(4)): quoted from the rejected proposal.
  const grounds = proposals.find((p) => p.kind === 'action' && p.status === 'rejected')?.decision_reason;
  const lines = notices.map((n) => `• ${noticeLine({ kind: n.kind, owedSince: n.owed_since, dueBy: n.due_by, toldOn: n.told_on }, today)}${n.kind === 'restriction-lift' && n.told_on === null && grounds ? ` Grounds given: ${userText(grounds)}` : ''}`);
  const untold = notices.filter((n) => n.told_on === null).map((n) => n.kind);
  if (untold.length > 0) lines.push(`Once told: /dsr told ${request.reference} ${untold.length === 1 ? untold[0] : `<${untold.join('|')}>`} [--on YYYY-MM-DD]`);
  return { heading: 'Telling the individual', text: lines.join('\n') };
}

/** Art 19: each recipient of the contact data, owed or told, with how to record it. */
function recipientsSection({ request, recipients }: RequestView): CardSection {
  const owed = recipients.filter((r) => r.told_at === null);
  const lines = recipients.map((r) => `• ${userText(r.processor)} (${r.change}): ${r.told_at === null ? `owed since ${r.owed_since.toISOString().slice(0, 10)}` : `told ${r.told_at.toISOString().slice(0, 10)} by ${mention(r.told_by ?? '')}`}`);
  const how = owed.length === 0 ? 'All told.' : `Tell each provider of the change unless that is impossible or disproportionate, then record it with its button or /dsr recipients ${request.reference} told <provider>`;
  // One button per provider: it records every change still owed to that provider.
  const providers = new Map(owed.map((r) => [r.processor_id, r.processor]));
  const buttons = [...providers].map(([id, name]) => recipientToldButton(request.id, id, userText(name)));
  return { heading: `Recipients to tell (Art 19): ${providers.size} owed`, text: [...lines, how].join('\n'), ...(buttons.length > 0 ? { buttons } : {}) };
}

function subjectLine({ request }: RequestView): string {
  if (request.subject_email === null) return String(request.details.maskedSubject ?? 'erased');
  const name = request.subject_name ? `${maskName(request.subject_name)} ` : '';
  return `${name}${maskEmail(request.subject_email)}`;
}

/** The due date in force and why, from the clock (src/domain/request-clock.ts). */
function dueLine({ clock }: RequestView): string {
  if (clock.due === null) return clock.status;
  const notes: string[] = [];
  if (clock.state === 'closed' || clock.state === 'forwarded') notes.push(clock.status);
  if (clock.stoppedDays > 0) notes.push(`${clock.stoppedDays} stopped day${clock.stoppedDays === 1 ? '' : 's'} added (clarification)`);
  if (clock.extension === 'valid') notes.push('extended');
  if (clock.extension === 'notice-owed') notes.push(`extended only if the individual is told, with reasons, by ${formatDateWithWeekday(clock.firstPeriodEnd ?? '')}`);
  if (clock.extension === 'not-valid') notes.push(`NOT VALIDLY EXTENDED: the individual was not told by ${clock.firstPeriodEnd ?? ''}, the end of the first period`);
  return `${formatDateWithWeekday(clock.due)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function registerLine({ request }: RequestView): string {
  const ids = (request.details.matchedContactIds as number[] | undefined) ?? [];
  if (ids.length === 0) return 'no record matches the email';
  return `${ids.length} matching record${ids.length === 1 ? '' : 's'}: ${ids.slice(0, 10).map((id) => `#${id}`).join(', ')}${ids.length > 10 ? ', …' : ''}`;
}

function statusLine({ request, clock }: RequestView): string {
  const status = describeStatus(request.status, request.controller !== null);
  return request.closed_at === null ? `${status}; ${clock.status}` : status;
}

function proposalSection(view: RequestView, proposal: ProposalFacts): CardSection {
  const votes = view.votes.filter((v: VoteFacts) => v.proposal_id === proposal.id)
    .map((v) => ({ memberId: v.member, decision: v.decision }));
  const count = tally(votes, proposal.quorum);
  const noun = String(proposal.summary.buttonNoun ?? PROPOSAL_NOUNS[proposal.kind]);
  // Some headings name what people typed ("Forward to <controller>").
  const heading = userText(String(proposal.summary.heading ?? `Proposed ${noun}`));
  const lines = [userText(String(proposal.summary.description ?? ''))].filter(Boolean);
  if (proposal.status === 'open') {
    lines.push(`${count.summary} so far (${mentionList(count.approvals)}); ${count.remaining} more needed. Not by ${who(proposal.requested_by ?? '')}, who asked for it.`);
    const buttons: Button[] = [];
    if (proposal.kind === 'action' && proposal.summary.needsCorrections === true) {
      buttons.push(formButton('Enter corrections', 'rectification', view.request.id));
    } else {
      buttons.push(approveButton(proposal.id, noun));
    }
    buttons.push(rejectButton(proposal.id, noun));
    return { heading, text: lines.join('\n'), buttons };
  }
  if (proposal.status === 'approved') lines.push(`Approved by ${mentionList(count.approvals)}.`);
  if (proposal.status === 'rejected') lines.push(`Rejected by ${mentionList(count.rejections)}: ${userText(proposal.decision_reason)}`);
  if (proposal.status === 'superseded' || proposal.status === 'cancelled') lines.push(`No longer open (${proposal.status}${proposal.decision_reason ? `: ${userText(proposal.decision_reason)}` : ''}).`);
  return { heading, text: lines.join('\n') };
}
