import type { Knex } from 'knex';
import type { IsoDate } from '../domain/dates.js';
import type { Db } from './database.js';

/** The Article 30 register of service providers (processors) and their yearly reviews. */
export interface ProcessorRow {
  id: number;
  name: string;
  purpose: string;
  safeguards: string | null;
  last_reviewed_on: IsoDate | null;
  next_review_on: IsoDate;
  created_by: string;
  created_at: Date;
  /** Receives contact data, and so is owed an Art 19 notice after a rectification, erasure or restriction. */
  receives_contact_data: boolean;
}

const COLUMNS = ['id', 'name', 'purpose', 'safeguards', 'last_reviewed_on', 'next_review_on', 'created_by', 'created_at', 'receives_contact_data'] as const;

/** Every provider, the next review due first (the order reminders and the list want). */
export async function listProcessors(db: Db | Knex.Transaction): Promise<ProcessorRow[]> {
  return db('processors').orderBy([{ column: 'next_review_on' }, { column: 'id' }]).select<ProcessorRow[]>(...COLUMNS);
}

/**
 * Adds a provider, or returns null when one of that name (in any case) is already registered: the
 * unique index decides, so two members adding the same provider at once cannot both succeed.
 */
export async function insertProcessor(trx: Knex.Transaction, processor: Pick<ProcessorRow, 'name' | 'purpose' | 'next_review_on' | 'created_by' | 'created_at'> & { receives_contact_data?: boolean }): Promise<ProcessorRow | null> {
  const rows = await trx('processors').insert(processor)
    .onConflict(trx.raw('(lower(name))')).ignore().returning<ProcessorRow[]>([...COLUMNS]);
  return rows[0] ?? null;
}

/** By name, case-insensitively, row-locked so that two reviews of one provider queue up. */
export async function lockProcessorByName(trx: Knex.Transaction, name: string): Promise<ProcessorRow | null> {
  return (await trx('processors').whereRaw('lower(name) = lower(?)', [name]).forUpdate()
    .first<ProcessorRow | undefined>(...COLUMNS)) ?? null;
}

export async function findProcessorByName(db: Db | Knex.Transaction, name: string): Promise<ProcessorRow | null> {
  return (await db('processors').whereRaw('lower(name) = lower(?)', [name]).first<ProcessorRow | undefined>(...COLUMNS)) ?? null;
}

export async function findProcessorById(db: Db | Knex.Transaction, id: number): Promise<ProcessorRow | null> {
  return (await db('processors').where({ id }).first<ProcessorRow | undefined>(...COLUMNS)) ?? null;
}

/** The review and the moved review date, together. */
export async function recordProcessorReview(trx: Knex.Transaction, review: { processorId: number; reviewedOn: IsoDate; nextReviewOn: IsoDate; reviewedBy: string; note: string | null }): Promise<{ reviewId: number; processor: ProcessorRow }> {
  const [inserted] = await trx('processor_reviews')
    .insert({ processor_id: review.processorId, reviewed_on: review.reviewedOn, reviewed_by: review.reviewedBy, note: review.note })
    .returning<{ id: number }[]>('id');
  const [processor] = await trx('processors').where({ id: review.processorId })
    .update({ last_reviewed_on: review.reviewedOn, next_review_on: review.nextReviewOn })
    .returning<ProcessorRow[]>([...COLUMNS]);
  return { reviewId: inserted!.id, processor: processor! };
}
