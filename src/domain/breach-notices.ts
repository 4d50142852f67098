import { err, ok, type Result } from './result.js';

/**
 * Who must be told about a breach (UK GDPR Art 33 and 34, DESIGN §2), and when it is settled.
 * The scheme is deliberately explicit, decided by the committee when it reports the breach, by the
 * company's role for the data affected: its own data (controller), customers' data (processor), or both.
 *
 * - Own data: the regulator (ICO) is owed a notice within 72 hours of awareness, unless the committee
 *   records a decision that the breach is not reportable (unlikely to result in a risk), with its
 *   reason; individuals are owed one without undue delay when the report says `--high-risk` (Art 34).
 *   A high risk is also a risk, so a high-risk breach cannot be decided not reportable.
 * - Customers' data (`--controllers`): the controllers are owed a notice without undue delay. A
 *   processor must tell its controllers of every breach of their data (Art 33(2)), whatever the risk,
 *   so a not-reportable decision does not release this; the regulator and the individuals are the
 *   controllers' to tell, not the company's.
 * - A regulator notice after the deadline must come with the reasons for the delay (Art 33(1)).
 *
 * A breach closes when every notice owed has been recorded (and a late one has its reasons), or
 * when the not-reportable decision is recorded and no controller is still owed a notice. A notice
 * that was not owed (telling individuals anyway) is recorded and shown, but closes nothing extra.
 */

export type Party = 'regulator' | 'controllers' | 'individuals';
export const PARTIES: readonly Party[] = ['regulator', 'controllers', 'individuals'];

export interface BreachNotices {
  readonly deadline: Date;
  /** The company's own data is affected (it is the controller). */
  readonly ownData: boolean;
  readonly controllersAffected: boolean;
  readonly individualsHighRisk: boolean;
  readonly notReportable: boolean;
  readonly regulatorNotifiedAt: Date | null;
  readonly controllersNotifiedAt: Date | null;
  readonly individualsNotifiedAt: Date | null;
  readonly lateReasonGiven: boolean;
}

export function notifiedAt(state: BreachNotices, party: Party): Date | null {
  switch (party) {
    case 'regulator': return state.regulatorNotifiedAt;
    case 'controllers': return state.controllersNotifiedAt;
    case 'individuals': return state.individualsNotifiedAt;
  }
}

/** The parties owed a notice, in the order the card lists them. */
export function owedParties(state: BreachNotices): Party[] {
  const owed: Party[] = [];
  if (state.ownData && !state.notReportable) owed.push('regulator');
  if (state.controllersAffected) owed.push('controllers');
  if (state.ownData && state.individualsHighRisk && !state.notReportable) owed.push('individuals');
  return owed;
}

/** Owed and not yet told. */
export function outstandingParties(state: BreachNotices): Party[] {
  return owedParties(state).filter((party) => notifiedAt(state, party) === null);
}

/** The regulator was told after the deadline (at the deadline instant itself is still in time). */
export function regulatorToldLate(state: BreachNotices): boolean {
  return state.regulatorNotifiedAt !== null && state.regulatorNotifiedAt.getTime() > state.deadline.getTime();
}

export function needsLateReason(state: BreachNotices): boolean {
  return regulatorToldLate(state) && !state.lateReasonGiven;
}

/** Whether the breach can close: nobody left to tell and no reasons for delay missing. */
export function isSettled(state: BreachNotices): boolean {
  return outstandingParties(state).length === 0 && !needsLateReason(state);
}

/** Whether the 72-hour clock still matters: the regulator is owed a notice not yet given. */
export function regulatorClockRunning(state: BreachNotices): boolean {
  return state.ownData && !state.notReportable && state.regulatorNotifiedAt === null;
}

/** Controllers are owed a notice and have not had it: the hourly job chases them. */
export function controllersOwed(state: BreachNotices): boolean {
  return state.controllersAffected && state.controllersNotifiedAt === null;
}

/**
 * When the hourly job chases controllers not yet told, by hours since awareness: at 1, 4, 12 and 24
 * hours, then daily. "Without undue delay" has no fixed hour, so the chase is frequent at first and
 * then steady, rather than hourly noise. Returns the milestone reached (its key), or null before the first.
 */
export function controllersChase(awareAt: Date, now: Date): string | null {
  const hours = (now.getTime() - awareAt.getTime()) / 3_600_000;
  if (hours < 1) return null;
  if (hours < 4) return 'controllers:1h';
  if (hours < 12) return 'controllers:4h';
  if (hours < 24) return 'controllers:12h';
  return `controllers:day${Math.floor(hours / 24)}`;
}

/** The checks before a report: whose data it is decides who is owed (see above). */
export function checkRoles(input: { ownData: boolean; controllersAffected: boolean; individualsHighRisk: boolean }): Result<true> {
  if (!input.ownData && !input.controllersAffected) return err('A breach affects the company\'s own data, customers\' data (--controllers), or both (--controllers --own-data)');
  if (input.individualsHighRisk && !input.ownData) {
    return err('--high-risk is for the company\'s own data: for customers\' data, telling the individuals is the controllers\' decision (Art 34). If the company\'s own data is affected too, add --own-data');
  }
  return ok(true);
}

/** The checks before recording a not-reportable decision; the reference names the breach in replies. */
export function checkNotReportable(state: BreachNotices, reference: string): Result<true> {
  if (!state.ownData) return err(`${reference} affects customers' data only: the company owes the regulator no notice of it (the controllers decide), so there is nothing to decide; tell the controllers: /gov breach notified ${reference} controllers`);
  if (state.notReportable) return err(`The decision that ${reference} is not reportable is already recorded`);
  if (state.regulatorNotifiedAt !== null) {
    return err(`The regulator has already been told of ${reference}, so it cannot be decided not reportable`);
  }
  if (state.individualsHighRisk) {
    return err(`${reference} was reported as a high risk to individuals, and a breach that is a high risk to them must be reported to the regulator`);
  }
  return ok(true);
}
