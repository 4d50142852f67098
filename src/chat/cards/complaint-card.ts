import { daysBetween, formatDateWithWeekday, type IsoDate } from '../../domain/dates.js';
import { maskName } from '../../domain/masking.js';
import type { Button, Card, CardSection, Fact } from '../card.js';
import { userText } from '../mention.js';
import { daysLeft, who } from './request-lines.js';

/**
 * The complaint card in the committee channel (key `complaint:<id>`), re-rendered in place when the
 * acknowledgement or the outcome is recorded. The complainant appears masked, as a subject does;
 * the summary is what they wrote about the handling of their data, shown escaped by each adapter.
 */
export interface ComplaintView {
  readonly id: number;
  readonly reference: string;
  readonly received_on: IsoDate;
  readonly received_via: string;
  readonly complainant_name: string | null;
  readonly masked_complainant: string;
  readonly summary: string | null;
  readonly about_ref: string | null;
  readonly ack_due_on: IsoDate;
  readonly acknowledged_on: IsoDate | null;
  readonly acknowledged_by: string | null;
  readonly outcome_due_on: IsoDate;
  readonly inquiries: string | null;
  readonly outcome: string | null;
  readonly outcome_on: IsoDate | null;
  readonly outcome_by: string | null;
  readonly status: 'open' | 'acknowledged' | 'closed';
  readonly logged_by: string;
}

export const ACKNOWLEDGE_LABEL = 'Acknowledge complaint';

export function complaintStatus(c: ComplaintView, today: IsoDate): string {
  if (c.status === 'closed') return `closed ${c.outcome_on ?? ''}: outcome told`.trim();
  if (c.status === 'acknowledged') return `acknowledged ${c.acknowledged_on ?? ''}; outcome due ${c.outcome_due_on} (${daysLeft(today, c.outcome_due_on)})`;
  return `open: acknowledge by ${c.ack_due_on} (${daysLeft(today, c.ack_due_on)})`;
}

export function complainantText(c: Pick<ComplaintView, 'complainant_name' | 'masked_complainant'>): string {
  return c.complainant_name ? `${maskName(c.complainant_name)} ${c.masked_complainant}` : c.masked_complainant;
}

export function renderComplaintCard(c: ComplaintView, today: IsoDate): Card {
  const facts: Fact[] = [
    { label: 'Complainant', value: complainantText(c) },
    { label: 'Received', value: `${formatDateWithWeekday(c.received_on)} by ${c.received_via}` },
    { label: 'About', value: c.about_ref ?? 'not linked to a request or breach' },
    { label: 'Acknowledge by', value: `${formatDateWithWeekday(c.ack_due_on)} (DPA 2018 s.164A: 30 days)` },
    { label: 'Outcome due', value: `${formatDateWithWeekday(c.outcome_due_on)} (without undue delay)` },
    { label: 'Logged by', value: who(c.logged_by) },
  ];
  const sections: CardSection[] = [{ heading: 'Complaint', text: c.summary === null ? '(erased)' : userText(c.summary) }];
  if (c.acknowledged_on !== null) {
    sections.push({ heading: 'Acknowledged', text: `${formatDateWithWeekday(c.acknowledged_on)}${c.acknowledged_by ? ` by ${who(c.acknowledged_by)}` : ''}${lateness(c.acknowledged_on, c.ack_due_on)}` });
  }
  if (c.outcome_on !== null) {
    const lines = [`${formatDateWithWeekday(c.outcome_on)}${c.outcome_by ? ` by ${who(c.outcome_by)}` : ''}: ${userText(c.outcome ?? '(erased)')}`];
    if (c.inquiries) lines.push(`Inquiries made: ${userText(c.inquiries)}`);
    sections.push({ heading: 'Outcome told', text: lines.join('\n') });
  }
  if (c.status === 'open') {
    const button: Button = { label: ACKNOWLEDGE_LABEL, verb: 'acknowledge', complaintId: c.id };
    sections.push({ heading: 'Next', text: `Acknowledge it to the complainant, then record it here or with /gov complaint ack ${c.reference}.`, buttons: [button] });
  } else if (c.status === 'acknowledged') {
    sections.push({ heading: 'Next', text: `Make inquiries, then tell the complainant the outcome and record it: /gov complaint outcome ${c.reference} <what they were told> [--inquiries "…"]` });
  }
  const status = complaintStatus(c, today);
  return {
    key: `complaint:${c.id}`,
    reference: c.reference,
    title: `Complaint ${c.reference}`,
    status,
    facts,
    sections,
    summary: `${c.reference}: complaint, ${status}`,
  };
}

function lateness(done: IsoDate, due: IsoDate): string {
  const late = daysBetween(due, done);
  return late > 0 ? `, ${late} day${late === 1 ? '' : 's'} after the date` : '';
}

/** `/gov complaint show`: the card's facts as plain text. */
export function renderComplaintDetail(c: ComplaintView, today: IsoDate): string {
  const card = renderComplaintCard(c, today);
  return [
    `${c.reference} · complaint · ${card.status}`,
    ...card.facts.map((f) => `${f.label}: ${f.value}`),
    ...card.sections.filter((s) => s.heading !== 'Next').map((s) => `${s.heading}: ${s.text}`),
  ].join('\n');
}

/** One line per complaint, for `/gov complaint list` and the cards of what it is about. */
export function complaintLine(c: ComplaintView, today: IsoDate): string {
  return `${c.reference} · ${complainantText(c)} · ${complaintStatus(c, today)}${c.about_ref ? ` · about ${c.about_ref}` : ''}`;
}
