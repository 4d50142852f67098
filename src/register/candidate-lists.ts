import type { Knex } from 'knex';

/**
 * The candidate lists that may be on disk: those of batches still to be decided or carried out.
 * Every other list names people by CRM id for no purpose (see removeOrphanLists).
 */
export async function liveCandidateLists(trx: Knex.Transaction): Promise<string[]> {
  return trx('purge_batches').whereIn('status', ['proposed', 'approved', 'running']).whereNotNull('candidate_file').pluck('candidate_file');
}
