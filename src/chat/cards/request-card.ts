import { tally } from '../../domain/approvals.js';
import { formatDateWithWeekday } from '../../domain/dates.js';
import { maskEmail, maskName } from '../../domain/masking.js';
import { REQUEST_STATUSES } from '../../domain/request-states.js';
import { REQUEST_TYPES } from '../../domain/request-types.js';
import type { ProposalRow, VoteRow } from '../../register/proposals.js';
import type { RequestView } from '../../services/request-view.js';
import { approveButton, formButton, rejectButton, type Button, type Card, type CardSection, type Fact } from '../card.js';
import { mention, mentionList, userText } from '../mention.js';

const PROPOSAL_NOUNS: Record<ProposalRow['kind'], string> = {
  identity: 'identity', action: 'action', extension: 'extension', refusal: 'refusal', purge: 'purge',
};

/** The one card each request has in the committee channel, re-rendered after every change. */
export function renderRequestCard(view: RequestView): Card {
  const { request } = view;
  const facts: Fact[] = [
    { label: 'Type', value: REQUEST_TYPES[request.type] },
    { label: 'Subject', value: subjectLine(view) },
    { label: 'Received', value: `${formatDateWithWeekday(request.received_on)} by ${request.received_via}` },
    { label: 'Due', value: dueLine(view) },
    { label: 'Register', value: registerLine(view) },
    { label: 'Logged by', value: mention(request.requested_by) },
  ];
  if (request.agent_name) {
    facts.push({ label: 'Agent', value: `made by ${userText(request.agent_name)} on the individual's behalf: proof of authority needed; nothing is disclosed to the agent, exports go to the individual alone` });
  }
  if (request.controller) {
    facts.push({ label: 'Controller', value: `data processed for ${userText(request.controller)}: pass the request to them and assist` });
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
  const sections: CardSection[] = view.proposals.map((proposal) => proposalSection(view, proposal));
  for (const action of view.actions) {
    if (action.status === 'done' && action.result) sections.push({ heading: 'Done', text: String(action.result.summary ?? 'carried out') });
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
    summary: `${request.reference}: ${REQUEST_TYPES[request.type]} request, ${statusLine(view)}, due ${request.due_on}`,
  };
}

/** Art 19: each recipient of the contact data, owed or told, with how to record it. */
function recipientsSection({ request, recipients }: RequestView): CardSection {
  const owed = recipients.filter((r) => r.told_at === null);
  const lines = recipients.map((r) => `• ${userText(r.processor)}: ${r.told_at === null ? `owed since ${r.owed_since.toISOString().slice(0, 10)}` : `told ${r.told_at.toISOString().slice(0, 10)} by ${mention(r.told_by ?? '')}`}`);
  const how = owed.length === 0 ? 'All told.' : `Tell each provider of the change unless that is impossible or disproportionate, then record it: /dsr recipients ${request.reference} told <provider>`;
  return { heading: `Recipients to tell (Art 19): ${owed.length} owed`, text: [...lines, how].join('\n') };
}

function subjectLine({ request }: RequestView): string {
  if (request.subject_email === null) return String(request.details.maskedSubject ?? 'erased');
  const name = request.subject_name ? `${maskName(request.subject_name)} ` : '';
  return `${name}${maskEmail(request.subject_email)}`;
}

function dueLine({ request, pauses }: RequestView): string {
  const notes: string[] = [];
  if (request.extended) notes.push('extended');
  if (request.paused_days > 0) notes.push(`${request.paused_days} paused day(s) added`);
  const open = pauses.find((p) => p.resumed_on === null);
  if (open) notes.push(`clock paused since ${open.paused_on} (${open.kind})`);
  return `${formatDateWithWeekday(request.due_on)}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

function registerLine({ request }: RequestView): string {
  const ids = (request.details.matchedContactIds as number[] | undefined) ?? [];
  if (ids.length === 0) return 'no record matches the email';
  return `${ids.length} matching record${ids.length === 1 ? '' : 's'}: ${ids.slice(0, 10).map((id) => `#${id}`).join(', ')}${ids.length > 10 ? ', …' : ''}`;
}

function statusLine({ request, pauses }: RequestView): string {
  const paused = !request.closed_at && pauses.some((p) => p.resumed_on === null);
  return `${REQUEST_STATUSES[request.status]}${paused ? ' (clock paused)' : ''}`;
}

function proposalSection(view: RequestView, proposal: ProposalRow): CardSection {
  const votes = view.votes.filter((v: VoteRow) => v.proposal_id === proposal.id)
    .map((v) => ({ memberId: v.member, decision: v.decision }));
  const count = tally(votes, proposal.quorum);
  const noun = String(proposal.summary.buttonNoun ?? PROPOSAL_NOUNS[proposal.kind]);
  const heading = String(proposal.summary.heading ?? `Proposed ${noun}`);
  const lines = [userText(String(proposal.summary.description ?? ''))].filter(Boolean);
  if (proposal.status === 'open') {
    lines.push(`${count.summary} so far (${mentionList(count.approvals)}); ${count.remaining} more needed. Not by ${mention(proposal.requested_by ?? '')}, who asked for it.`);
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
