import type { Knex } from 'knex';
import type { PurgeCardView } from '../../chat/cards/purge-views.js';
import { DO_NOT_CONTACT_NOTE } from '../../domain/purge-tally.js';
import type { Platform } from '../../register/committee.js';
import type { Db } from '../../register/database.js';
import { purgeItemCounts, sampleCandidates, type PurgeItemCount, type SampleCandidate } from '../../register/purge-items.js';
import { purgeRecipientNotices, type PurgeRecipientNoticeRow } from '../../register/purge-recipients.js';
import { getPurgeBatch, proposalOfBatch, type PurgeBatchRow } from '../../register/purges.js';
import { votesFor, type ProposalRow, type VoteRow } from '../../register/proposals.js';

/** Everything the purge card and report display (chat/cards/purge-views.ts), read in one place. */
export interface PurgeView extends PurgeCardView {
  readonly batch: PurgeBatchRow;
  readonly proposal: ProposalRow | null;
  readonly votes: readonly VoteRow[];
  readonly counts: readonly PurgeItemCount[];
  readonly sample: readonly SampleCandidate[];
  readonly recipients: readonly PurgeRecipientNoticeRow[];
  /** Where the card lives. */
  readonly platform: Platform;
}

export const SAMPLE_PER_REASON = 2;

export async function loadPurgeView(db: Db | Knex.Transaction, batchId: number, retentionYears: number, knownCounts?: readonly PurgeItemCount[]): Promise<PurgeView> {
  const batch = await getPurgeBatch(db, batchId);
  if (!batch) throw new Error(`purge batch ${batchId} does not exist`);
  // One after another: inside a transaction there is one connection.
  const proposal = await proposalOfBatch(db, batchId);
  const votes = proposal ? await votesFor(db, [proposal.id]) : [];
  const counts = knownCounts ?? await purgeItemCounts(db, batchId);
  const sample = batch.status === 'proposed' ? await sampleCandidates(db, batchId, SAMPLE_PER_REASON) : [];
  // Tagged at the sweep (its note); the purge re-reads the tag under lock when it deletes.
  const doNotContactListed = batch.status === 'proposed' ? counts.filter((c) => c.status === 'pending' && c.note === DO_NOT_CONTACT_NOTE).reduce((sum, c) => sum + c.count, 0) : 0;
  const recipients = batch.status === 'done' ? await purgeRecipientNotices(db, batchId) : [];
  const platform = (proposal?.summary.platform as Platform | undefined) ?? 'slack';
  return { batch, proposal, votes, counts, sample, doNotContactListed, recipients, retentionYears, platform };
}
