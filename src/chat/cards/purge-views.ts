import type { IsoDate } from '../../domain/dates.js';
import type { PurgeBatchStatus } from '../../domain/purge.js';
import type { PurgeItemCountLike } from '../../domain/purge-tally.js';
import type { RetentionReason } from '../../domain/retention.js';
import type { ProposalFacts, VoteFacts } from './proposal-views.js';

/**
 * What the quarterly deletion card and its report are rendered from, named as the register stores
 * it; the service's view (services/purge/purge-view.ts) extends this with the rows it read.
 */

export interface PurgeBatchFacts {
  readonly id: number;
  readonly reference: string;
  readonly as_of: IsoDate;
  readonly status: PurgeBatchStatus;
  readonly candidate_file: string | null;
  readonly candidate_sha256: string | null;
  readonly started_at: Date | null;
  readonly finished_at: Date | null;
}

/** A pending candidate for the masked sample. */
export interface SampleFacts {
  readonly contactId: number;
  readonly email: string;
  readonly reason: RetentionReason;
}

/** Art 19: a provider that receives contact data, owed a notice of the deletion. */
export interface PurgeRecipientFacts {
  readonly processor: string;
  readonly owed_count: number;
  /** How many of those had a CRM id, listed in the provider's file. */
  readonly listed_count: number;
  readonly file_name: string | null;
  readonly file_sha256: string | null;
  readonly told_at: Date | null;
  readonly told_by: string | null;
}

export interface PurgeCardView {
  readonly batch: PurgeBatchFacts;
  readonly proposal: ProposalFacts | null;
  readonly votes: readonly VoteFacts[];
  readonly counts: readonly PurgeItemCountLike[];
  /** A few pending candidates (emails masked on the card), only while the proposal awaits votes. */
  readonly sample: readonly SampleFacts[];
  /** Pending candidates tagged "Do not contact" (only their suppression record will remain), while proposed. */
  readonly doNotContactListed: number;
  /** Art 19: each recipient of contact data owed a notice of the deletion, once the purge is done. */
  readonly recipients: readonly PurgeRecipientFacts[];
  readonly retentionYears: number;
}
