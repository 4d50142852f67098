import { breachClock, isNewMilestone, type BreachMilestone } from '../domain/breach.js';
import { mention } from '../chat/mention.js';
import { breachClockText, controllersChaseText } from '../chat/cards/breach-card.js';
import { controllersChase } from '../domain/breach-notices.js';
import { breachesOnTheClock, type ClockedBreach } from '../register/breaches.js';
import { listChairs, memberKey } from '../register/committee.js';
import { recordReminderSent } from '../register/reminders.js';
import { postNotice } from '../services/card-messages.js';
import type { JobContext, JobDefinition, JobSummary } from './job.js';

const MILESTONES: readonly BreachMilestone[] = [24, 12, 4, 'overdue'];
const keyOf = (milestone: BreachMilestone) => `clock:${milestone}`;

/** The most urgent milestone already announced for a breach, from its `reminders_sent` keys. */
function lastAnnounced(keys: readonly string[]): BreachMilestone | null {
  return [...MILESTONES].reverse().find((m) => keys.includes(keyOf(m))) ?? null;
}

/**
 * Hourly: for each open breach whose regulator notice is still owed, warns the committee when the
 * 72-hour clock passes 24, 12 and 4 hours left and when it runs out (naming the chairs). Only the
 * most urgent threshold crossed is sent, and never one less urgent than the last, so a missed hour
 * or a second run neither repeats nor goes backwards; `reminders_sent` makes each one once. Where
 * customers' data is affected and their controllers are not yet told, it chases that too (Art 33(2)).
 */
export async function runBreachClock(context: JobContext, now: Date): Promise<JobSummary> {
  const [breaches, chairs] = await Promise.all([breachesOnTheClock(context.db), listChairs(context.db)]);
  let sent = 0;
  const post = async (breach: ClockedBreach, key: string, text: string) => {
    const posted = await context.db.transaction(async (trx) => {
      if (!await recordReminderSent(trx, breach.reference, key, now)) return false;
      await postNotice(trx, breach.platform, text);
      return true;
    });
    if (posted) sent += 1;
  };
  for (const breach of breaches) {
    if (breach.controllers_owed) {
      const chase = controllersChase(breach.aware_at, now);
      if (chase !== null) await post(breach, chase, controllersChaseText(breach, now, context.config.timezone));
    }
    if (!breach.regulator_owed) continue;
    const { milestone } = breachClock(breach.aware_at, now);
    if (milestone === null || !isNewMilestone(lastAnnounced(breach.announced), milestone)) continue;
    const chairMentions = chairs.filter((chair) => chair.platform === breach.platform)
      .map((chair) => mention(memberKey(chair.platform, chair.platform_user_id)));
    await post(breach, keyOf(milestone), breachClockText(breach, milestone, now, context.config.timezone, chairMentions));
  }
  return { on_the_clock: breaches.length, sent };
}

export const breachClockJob: JobDefinition = {
  name: 'breach-clock',
  schedule: { kind: 'hourly', minute: 5 },
  description: 'warns the committee when a breach\'s 72 hours to report reach 24, 12 and 4 hours left, and when overdue (to the chairs); chases controllers not yet told',
  // Within the hour only: the next hour's run looks again anyway.
  catchUpMs: 55 * 60_000,
  run: runBreachClock,
};
