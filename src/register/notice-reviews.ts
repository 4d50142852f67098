import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { Db } from './database.js';

/** Reviews of the privacy notice and the regulatory changes that make one due. */
export interface NoticeReviewRow {
  id: number;
  version: string;
  reviewed_on: IsoDate;
  reviewed_by: string;
  created_at: Date;
}

export interface RegulatoryChangeRow {
  id: number;
  description: string;
  recorded_by: string;
  recorded_at: Date;
  addressed_by_review_id: number | null;
}

// 'govnotic' in ASCII: serialises reviews, so the version check and the insert see the same "latest".
const NOTICE_LOCK_KEY = '7453306125009840483';

export async function lockNoticeReviews(trx: Knex.Transaction): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(?::bigint)', [NOTICE_LOCK_KEY]);
}

/** The most recent review (the latest day, then the latest recorded that day), or null if none. */
export async function latestNoticeReview(db: Db | Knex.Transaction): Promise<NoticeReviewRow | null> {
  return (await db('notice_reviews').orderBy([{ column: 'reviewed_on', order: 'desc' }, { column: 'id', order: 'desc' }])
    .first<NoticeReviewRow | undefined>('id', 'version', 'reviewed_on', 'reviewed_by', 'created_at')) ?? null;
}

export async function insertNoticeReview(trx: Knex.Transaction, review: Pick<NoticeReviewRow, 'version' | 'reviewed_on' | 'reviewed_by'>): Promise<NoticeReviewRow> {
  const [row] = await trx('notice_reviews').insert(review).returning<NoticeReviewRow[]>(['id', 'version', 'reviewed_on', 'reviewed_by', 'created_at']);
  return row!;
}

/** Changes no review has addressed yet, oldest first. */
export async function openRegulatoryChanges(db: Db | Knex.Transaction): Promise<RegulatoryChangeRow[]> {
  return db('regulatory_changes').whereNull('addressed_by_review_id').orderBy('id')
    .select<RegulatoryChangeRow[]>('id', 'description', 'recorded_by', 'recorded_at', 'addressed_by_review_id');
}

export async function insertRegulatoryChange(trx: Knex.Transaction, change: { description: string; recordedBy: string; recordedAt: Date }): Promise<RegulatoryChangeRow> {
  const [row] = await trx('regulatory_changes')
    .insert({ description: change.description, recorded_by: change.recordedBy, recorded_at: change.recordedAt })
    .returning<RegulatoryChangeRow[]>(['id', 'description', 'recorded_by', 'recorded_at', 'addressed_by_review_id']);
  return row!;
}

/** Marks every open change as addressed by `reviewId`; returns their ids. */
export async function closeRegulatoryChanges(trx: Knex.Transaction, reviewId: number): Promise<number[]> {
  const rows = await trx('regulatory_changes').whereNull('addressed_by_review_id')
    .update({ addressed_by_review_id: reviewId }).returning<{ id: number }[]>('id');
  return rows.map((row) => row.id).sort((a, b) => a - b);
}
