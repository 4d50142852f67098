import type { IsoDate } from '../domain/dates.js';
import { statutoryDueDate, pausedDays } from '../domain/deadlines.js';
import type { Region } from '../domain/holidays.js';
import type { PauseRow } from '../register/pauses.js';

/**
 * Days the clock stood still in finished pauses. An open pause is not added yet: while it lasts
 * the card says the clock is paused, and the due date moves when the information arrives.
 */
export function closedPausedDays(pauses: readonly PauseRow[]): number {
  return pausedDays(pauses.filter((p) => p.resumed_on !== null).map((p) => ({ from: p.paused_on, to: p.resumed_on as IsoDate })));
}

export function dueDateWithPauses(request: { received_on: IsoDate; extended: boolean }, pauses: readonly PauseRow[], region: Region): { dueOn: IsoDate; pausedDays: number } {
  const days = closedPausedDays(pauses);
  return { dueOn: statutoryDueDate({ receivedOn: request.received_on, region, pausedDays: days, extended: request.extended }), pausedDays: days };
}
