import type { Knex } from 'knex';
import * as contacts from '../../migrations/20261101000100_contacts.js';
import * as committee from '../../migrations/20261101000200_committee.js';
import * as requests from '../../migrations/20261101000300_requests.js';
import * as proposals from '../../migrations/20261101000400_proposals.js';
import * as purges from '../../migrations/20261101000500_purges.js';
import * as outboxAndJobs from '../../migrations/20261101000600_outbox_and_jobs.js';
import * as reviews from '../../migrations/20261101000700_reviews.js';
import * as breaches from '../../migrations/20261101000800_breaches.js';
import * as auditEvents from '../../migrations/20261101000900_audit_events.js';
import * as breachNotices from '../../migrations/20261101001300_breach_notices.js';
import * as purgeRun from '../../migrations/20261101002000_purge_run.js';
import * as slackDeliveries from '../../migrations/20261101003000_slack_deliveries.js';
import * as requestClock from '../../migrations/20261206090100_request_clock.js';
import * as noticesOwed from '../../migrations/20261206090200_notices_owed.js';
import * as breachRoles from '../../migrations/20261206090300_breach_roles.js';
import * as outboxCardKeyIndex from '../../migrations/20261206130100_outbox_card_key_index.js';
import * as personIdentities from '../../migrations/20261206130200_person_identities.js';
import * as withdrawalProposals from '../../migrations/20261206130300_withdrawal_proposals.js';
import * as complaints from '../../migrations/20261206110100_complaints.js';
import * as rateLimits from '../../migrations/20261206110200_rate_limits.js';
import * as reportImages from '../../migrations/20261206120100_report_images.js';
import * as auditSubjectIndex from '../../migrations/20261206120200_audit_subject_index.js';
import * as outboxNotify from '../../migrations/20261206150100_outbox_notify.js';
import * as slackInbox from '../../migrations/20261206163000_slack_inbox.js';
import * as suppressionKinds from '../../migrations/20261206100100_suppression_kinds.js';
import * as exportFiles from '../../migrations/20261206100200_export_files.js';
import * as recipientNotices from '../../migrations/20261206100300_recipient_notices.js';
import * as recipientNoticePerChange from '../../migrations/20261206161000_recipient_notice_per_change.js';
import * as displayNames from '../../migrations/20261206164000_display_names.js';
import * as purgeRecipientNotices from '../../migrations/20261206162000_purge_recipient_notices.js';
import * as auditAppendFunction from '../../migrations/20261206174000_audit_append_function.js';
import * as purgeSweptCounts from '../../migrations/20261206172000_purge_swept_counts.js';
import * as purgeItemsFillfactor from '../../migrations/20261206172100_purge_items_fillfactor.js';
import * as purgeItemsByBatch from '../../migrations/20261206181000_purge_items_by_batch.js';
import * as purgeErasedCrmIds from '../../migrations/20261206182000_purge_erased_crm_ids.js';
import * as purgeTallies from '../../migrations/20261206192000_purge_tallies.js';

/**
 * Migrations are imported, not discovered on disk, so the same list runs from TypeScript in tests
 * and from compiled JavaScript in production. Append new ones at the end.
 */
const MIGRATIONS: ReadonlyArray<[string, Knex.Migration]> = [
  ['20261101000100_contacts', contacts],
  ['20261101000200_committee', committee],
  ['20261101000300_requests', requests],
  ['20261101000400_proposals', proposals],
  ['20261101000500_purges', purges],
  ['20261101000600_outbox_and_jobs', outboxAndJobs],
  ['20261101000700_reviews', reviews],
  ['20261101000800_breaches', breaches],
  ['20261101000900_audit_events', auditEvents],
  ['20261101001300_breach_notices', breachNotices],
  ['20261101002000_purge_run', purgeRun],
  ['20261101003000_slack_deliveries', slackDeliveries],
  ['20261206090100_request_clock', requestClock],
  ['20261206090200_notices_owed', noticesOwed],
  ['20261206090300_breach_roles', breachRoles],
  ['20261206130100_outbox_card_key_index', outboxCardKeyIndex],
  ['20261206130200_person_identities', personIdentities],
  ['20261206130300_withdrawal_proposals', withdrawalProposals],
  ['20261206110100_complaints', complaints],
  ['20261206110200_rate_limits', rateLimits],
  ['20261206120100_report_images', reportImages],
  ['20261206120200_audit_subject_index', auditSubjectIndex],
  ['20261206150100_outbox_notify', outboxNotify],
  ['20261206100100_suppression_kinds', suppressionKinds],
  ['20261206100200_export_files', exportFiles],
  ['20261206100300_recipient_notices', recipientNotices],
  ['20261206161000_recipient_notice_per_change', recipientNoticePerChange],
  ['20261206164000_display_names', displayNames],
  ['20261206162000_purge_recipient_notices', purgeRecipientNotices],
  ['20261206163000_slack_inbox', slackInbox],
  ['20261206174000_audit_append_function', auditAppendFunction],
  ['20261206172000_purge_swept_counts', purgeSweptCounts],
  ['20261206172100_purge_items_fillfactor', purgeItemsFillfactor],
  ['20261206181000_purge_items_by_batch', purgeItemsByBatch],
  ['20261206182000_purge_erased_crm_ids', purgeErasedCrmIds],
  ['20261206192000_purge_tallies', purgeTallies],
];

const source: Knex.MigrationSource<[string, Knex.Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

const options: Knex.MigratorConfig = { migrationSource: source, tableName: 'knex_migrations' };

/**
 * Applies every pending migration; returns the names applied. Replicas starting together are safe:
 * knex lets one hold its migration lock and fails the others, which wait and try again (finding
 * nothing left to do).
 */
export async function migrateToLatest(db: Knex, waitMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const [, applied] = (await db.migrate.latest(options)) as [number, string[]];
      return applied;
    } catch (error) {
      if (!/already locked/i.test((error as Error).message) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export async function rollbackAll(db: Knex): Promise<string[]> {
  const [, rolledBack] = (await db.migrate.rollback(options, true)) as [number, string[]];
  return rolledBack;
}

/** Names of migrations this code knows but the database has not applied. */
export async function pendingMigrations(db: Knex): Promise<string[]> {
  const [, pending] = (await db.migrate.list(options)) as [unknown[], Array<{ file: string } | [string, unknown]>];
  return pending.map((entry) => (Array.isArray(entry) ? entry[0] : entry.file));
}
