import { daysBetween, dateInTimeZone, type IsoDate } from '../domain/dates.js';
import { userText } from '../chat/mention.js';
import { owedPurgeRecipientNotices } from '../register/purge-recipients.js';
import { owedRecipientNotices } from '../register/recipient-notices.js';
import { recordReminderSent } from '../register/reminders.js';
import { postNotice } from '../services/card-messages.js';
import type { JobContext } from './job.js';

/**
 * Art 19 notices still owed, chased weekly from a week after they fell due (part of sla-reminders):
 * each week's reminder is recorded in `reminders_sent` with the message it queues, so it goes once.
 */
export async function sendRecipientReminders(context: JobContext, now: Date, today: IsoDate): Promise<{ sent: number; alreadySent: number }> {
  let sent = 0;
  let alreadySent = 0;
  for (const notice of await owedRecipientNotices(context.db)) {
    const days = daysBetween(dateInTimeZone(notice.owed_since, context.config.timezone), today);
    if (days < 7) continue;
    const milestone = `art19:${notice.processor_id}:week-${Math.floor(days / 7)}`;
    const text = `${notice.reference}: ${userText(notice.processor)} is still owed an Art 19 notice of the ${notice.change} (owed since ${dateInTimeZone(notice.owed_since, context.config.timezone)}, ${days} days). Tell them, then record it: /dsr recipients ${notice.reference} told ${userText(notice.processor)}`;
    const posted = await context.db.transaction(async (trx) => {
      if (!await recordReminderSent(trx, notice.reference, milestone, now)) return false;
      await postNotice(trx, notice.platform, text);
      return true;
    });
    if (posted) sent += 1;
    else alreadySent += 1;
  }
  // A purge's notices likewise, one per provider, keyed by the purge's reference.
  for (const notice of await owedPurgeRecipientNotices(context.db)) {
    const days = daysBetween(dateInTimeZone(notice.owed_since, context.config.timezone), today);
    if (days < 7) continue;
    const milestone = `art19:${notice.processor_id}:week-${Math.floor(days / 7)}`;
    const text = `${notice.reference}: ${userText(notice.processor)} is still owed an Art 19 notice of the deletion of ${notice.owed_count.toLocaleString('en-GB')} contact(s) (owed since ${dateInTimeZone(notice.owed_since, context.config.timezone)}, ${days} days); its CRM ids are in its file beside the candidate list. Tell them, then record it: /dsr recipients ${notice.reference} told ${userText(notice.processor)}`;
    const posted = await context.db.transaction(async (trx) => {
      if (!await recordReminderSent(trx, notice.reference, milestone, now)) return false;
      await postNotice(trx, notice.platform, text);
      return true;
    });
    if (posted) sent += 1;
    else alreadySent += 1;
  }
  return { sent, alreadySent };
}
