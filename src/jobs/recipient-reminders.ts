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
  const tally = { sent: 0, alreadySent: 0 };
  const chase = async (notice: OwedNotice, what: string, where: string): Promise<void> => {
    const since = dateInTimeZone(notice.owed_since, context.config.timezone);
    const days = daysBetween(since, today);
    if (days < 7) return;
    const milestone = `art19:${notice.processor_id}:week-${Math.floor(days / 7)}`;
    const processor = userText(notice.processor);
    const text = `${notice.reference}: ${processor} is still owed an Art 19 notice of ${what} (owed since ${since}, ${days} days)${where}. Tell them, then record it: /dsr recipients ${notice.reference} told ${processor}`;
    const posted = await context.db.transaction(async (trx) => {
      if (!await recordReminderSent(trx, notice.reference, milestone, now)) return false;
      await postNotice(trx, notice.platform, text);
      return true;
    });
    if (posted) tally.sent += 1;
    else tally.alreadySent += 1;
  };
  for (const notice of await owedRecipientNotices(context.db)) await chase(notice, `the ${notice.change}`, '');
  // A purge's notices likewise, one per provider, keyed by the purge's reference.
  for (const notice of await owedPurgeRecipientNotices(context.db)) {
    await chase(notice, `the deletion of ${notice.owed_count.toLocaleString('en-GB')} contact(s)`, '; its CRM ids are in its file beside the candidate list');
  }
  return tally;
}

type OwedNotice = Pick<Awaited<ReturnType<typeof owedRecipientNotices>>[number], 'reference' | 'processor' | 'processor_id' | 'owed_since' | 'platform'>;
