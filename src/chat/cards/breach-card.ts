import { breachClock, formatInstant, type BreachMilestone } from '../../domain/breach.js';
import { dateInTimeZone } from '../../domain/dates.js';
import {
  needsLateReason, notifiedAt, outstandingParties, owedParties, regulatorClockRunning, regulatorToldLate,
  type BreachNotices, type Party,
} from '../../domain/breach-notices.js';
import type { BreachFacts as BreachRow } from './breach-views.js';
import type { Card, CardSection, Fact } from '../card.js';
import { userText } from '../mention.js';
import { who } from './request-lines.js';

/**
 * The breach card in the committee channel (key `breach:<id>`), re-rendered in place as notices and
 * decisions are recorded. Times are shown in the committee's zone with the zone named, since the
 * 72-hour deadline is an instant, not a day. It shows no hours-left count: a card updated only on
 * changes would soon show a stale one; the hourly breach-clock warnings carry that instead.
 */

export const PARTY_LABELS: Readonly<Record<Party, string>> = {
  regulator: 'Regulator (ICO)',
  controllers: 'Controllers (customers whose data is affected)',
  individuals: 'Individuals affected',
};

export function breachNotices(breach: BreachRow): BreachNotices {
  return {
    deadline: breach.deadline_at,
    ownData: breach.own_data,
    controllersAffected: breach.controllers_affected,
    individualsHighRisk: breach.individuals_high_risk,
    notReportable: breach.not_reportable_at !== null,
    regulatorNotifiedAt: breach.regulator_notified_at,
    controllersNotifiedAt: breach.controllers_notified_at,
    individualsNotifiedAt: breach.individuals_notified_at,
    lateReasonGiven: breach.late_reason !== null,
  };
}

/** `complaints`: the complaints about this breach, e.g. `CMP-2026-001 (open)`. */
export function renderBreachCard(breach: BreachRow, timeZone: string, complaints: readonly string[] = []): Card {
  const state = breachNotices(breach);
  const at = (instant: Date) => formatInstant(instant, timeZone);
  const facts: Fact[] = [
    { label: 'Summary', value: userText(breach.summary) },
    { label: 'Data affected', value: roleLine(breach) },
    { label: 'Aware since', value: at(breach.aware_at) },
    { label: 'Regulator deadline', value: breach.own_data ? `${at(breach.deadline_at)} (72 hours from awareness, weekends included)` : 'none of ours: customers\' data only, the controllers report it' },
    { label: 'Reported by', value: who(breach.reported_by) },
  ];
  if (complaints.length > 0) facts.push({ label: 'Complaints about it', value: complaints.join(', ') });
  const sections: CardSection[] = [{ heading: 'Who must be told', text: (['regulator', 'controllers', 'individuals'] as const).map((party) => `• ${PARTY_LABELS[party]}: ${partyLine(breach, state, party, timeZone)}`).join('\n') }];
  if (breach.status === 'open') sections.push({ heading: 'Next', text: nextSteps(breach, state) });
  const status = breachStatus(breach, state, timeZone);
  return {
    key: `breach:${breach.id}`,
    reference: breach.reference,
    title: `Suspected personal data breach ${breach.reference}`,
    status,
    facts,
    sections,
    summary: `${breach.reference}: suspected breach, ${status}, regulator deadline ${at(breach.deadline_at)}`,
  };
}

/** Whose data: it decides who the company must tell (domain/breach-notices.ts). */
export function roleLine(breach: Pick<BreachRow, 'own_data' | 'controllers_affected'>): string {
  if (breach.own_data && breach.controllers_affected) return 'the company\'s own and customers\' (controller for its own, processor for theirs)';
  return breach.own_data ? 'the company\'s own (it is the controller)' : 'customers\' only (the company is their processor, Art 33(2))';
}

export function breachStatus(breach: BreachRow, state: BreachNotices, timeZone: string): string {
  if (breach.status === 'closed') return `closed ${breach.closed_at ? dateInTimeZone(breach.closed_at, timeZone) : ''}`.trim();
  const outstanding = outstandingParties(state);
  if (outstanding.length > 0) return `open: still to tell ${outstanding.join(', ')}`;
  return needsLateReason(state) ? 'open: the reasons for the late report are still needed' : 'open';
}

function partyLine(breach: BreachRow, state: BreachNotices, party: Party, timeZone: string): string {
  const told = notifiedAt(state, party);
  if (told !== null) {
    const by = breach[`${party}_notified_by` as const];
    const line = `told ${formatInstant(told, timeZone)}${by ? ` (recorded by ${who(by)})` : ''}`;
    if (party !== 'regulator') return line;
    if (!regulatorToldLate(state)) return `${line}, in time`;
    const late = `${line}, ${formatDuration(told.getTime() - breach.deadline_at.getTime())} after the deadline`;
    return breach.late_reason !== null
      ? `${late}; reasons for the delay: ${userText(breach.late_reason)}`
      : `${late}; the reasons for the delay are still needed`;
  }
  const owed = owedParties(state).includes(party);
  switch (party) {
    case 'regulator':
      if (!breach.own_data) return 'not ours to tell: customers\' data only, the controllers decide (Art 33(1))';
      if (breach.not_reportable_at !== null) {
        return `not reportable, decided ${formatInstant(breach.not_reportable_at, timeZone)}${breach.not_reportable_by ? ` by ${who(breach.not_reportable_by)}` : ''}: ${userText(breach.not_reportable_reason)}`;
      }
      return `owed by ${formatInstant(breach.deadline_at, timeZone)}: not yet told`;
    case 'controllers':
      return owed ? 'owed without undue delay (Art 33(2)): not yet told; chased by the hourly breach clock' : 'not owed: the report did not flag customers\' data';
    case 'individuals':
      if (owed) return 'owed without undue delay (high risk to them): not yet told';
      if (!breach.own_data) return 'not ours to tell: the controllers decide (Art 34)';
      return breach.individuals_high_risk ? 'not owed' : 'not owed: the risk to them was not assessed as high';
  }
}

function nextSteps(breach: BreachRow, state: BreachNotices): string {
  const ref = breach.reference;
  const steps = outstandingParties(state).map((party) => `When ${party === 'regulator' ? 'the regulator is' : `${party} are`} told: /gov breach notified ${ref} ${party}`);
  if (needsLateReason(state)) steps.push(`Record the reasons for the late report: /gov breach notified ${ref} regulator --late-reason "…"`);
  if (regulatorClockRunning(state) && !breach.individuals_high_risk) steps.push(`If it is unlikely to result in a risk to anyone: /gov breach not-reportable ${ref} <reason>`);
  return steps.join('\n');
}

/** "5 h 20 min", "45 min": how late, as people say it. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** The hourly breach-clock warning; `chairs` are mention tokens, named once it is overdue. */
export function breachClockText(breach: Pick<BreachRow, 'reference' | 'aware_at'>, milestone: BreachMilestone, now: Date, timeZone: string, chairs: readonly string[]): string {
  const ref = breach.reference;
  const clock = breachClock(breach.aware_at, now);
  const deadline = formatInstant(clock.deadline, timeZone);
  if (milestone !== 'overdue') {
    const hours = Math.round(clock.hoursLeft);
    const left = hours < 1 ? 'less than an hour' : `${hours} hour${hours === 1 ? '' : 's'}`;
    return `Breach ${ref}: ${left} left to report it to the regulator (deadline ${deadline}). Once told: /gov breach notified ${ref} regulator; if it is unlikely to result in a risk to anyone: /gov breach not-reportable ${ref} <reason>.`;
  }
  const chairsText = chairs.length > 0 ? chairs.join(', ') : 'no chair is set (add one with /gov members add @someone chair)';
  return `Breach ${ref} is overdue: the 72 hours to report it to the regulator ended ${deadline}, ${formatDuration(now.getTime() - clock.deadline.getTime())} ago. Chairs: ${chairsText}: please see that it is reported now with the reasons for the delay (/gov breach notified ${ref} regulator --late-reason "…"), or the decision not to report recorded (/gov breach not-reportable ${ref} <reason>).`;
}

/** The hourly chase of controllers not yet told (domain/breach-notices.ts controllersChase). */
export function controllersChaseText(breach: Pick<BreachRow, 'reference' | 'aware_at'>, now: Date, timeZone: string): string {
  const ref = breach.reference;
  return `Breach ${ref}: the controllers (customers whose data is affected) are still to be told, without undue delay (Art 33(2)); the company has been aware since ${formatInstant(breach.aware_at, timeZone)}, ${formatDuration(now.getTime() - breach.aware_at.getTime())} ago. Once told: /gov breach notified ${ref} controllers.`;
}
