import type { ContactInput } from '../domain/contact-row.js';
import { addDays, addYearsClamped, type IsoDate } from '../domain/dates.js';
import { appendAuditEvent } from '../register/audit-events.js';
import { upsertContacts } from '../register/contacts.js';
import type { Db } from '../register/database.js';
import { insertNoticeReview, latestNoticeReview } from '../register/notice-reviews.js';
import { DEMO_NOTICE_VERSION, DEMO_PROCESSORS, demoContacts } from './demo-data.js';

const BATCH = 5_000;

/** Fills the register with synthetic contacts and the notice's service providers; idempotent. */
export async function seedDemo(db: Db, options: { count: number; today: IsoDate; now: Date }) {
  const totals = { inserted: 0, updated: 0, unchanged: 0, processors: 0 };
  let batch: ContactInput[] = [];
  const flush = async () => {
    const result = await upsertContacts(db, batch, { now: options.now });
    totals.inserted += result.inserted;
    totals.updated += result.updated;
    totals.unchanged += result.unchanged;
    batch = [];
  };
  for (const contact of demoContacts(options.count, options.today)) {
    batch.push(contact);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();

  await db.transaction(async (trx) => {
    for (const processor of DEMO_PROCESSORS) {
      await trx.raw(`insert into processors (name, purpose, safeguards, last_reviewed_on, next_review_on, created_by)
        values (?, ?, ?, ?, ?, 'seed') on conflict ((lower(name))) do nothing`,
      [processor.name, processor.purpose, processor.safeguards, addDays(options.today, -300), addYearsClamped(addDays(options.today, -300), 1)]);
    }
    totals.processors = DEMO_PROCESSORS.length;
    // A first review of the privacy notice, so /gov notice and its reminders have a version to work from.
    if (await latestNoticeReview(trx) === null) {
      await insertNoticeReview(trx, { version: DEMO_NOTICE_VERSION, reviewed_on: addDays(options.today, -300), reviewed_by: 'seed' });
    }
    await appendAuditEvent(trx, { actor: 'cli:seed', action: 'register.seeded', subject: null, occurredAt: options.now, facts: { ...totals, requested_count: options.count } });
  });
  return totals;
}
