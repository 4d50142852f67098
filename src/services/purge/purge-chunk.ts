import type { Knex } from 'knex';
import type { PurgeSkip, RetentionBounds } from '../../domain/purge.js';
import { DO_NOT_CONTACT_NOTE, SUPPRESSED_NOTE } from '../../domain/purge-tally.js';
import { DO_NOT_CONTACT_TAG, externalIdHash, identifierHashes } from '../../domain/suppression.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { applyChunk, claimPendingItems, lockContacts, recheckCandidates } from '../../register/purge-run.js';
import type { PurgeBatchRow } from '../../register/purges.js';

export interface ChunkResult {
  readonly claimed: number;
  readonly deleted: number;
  readonly skipped: Readonly<Partial<Record<PurgeSkip, number>>>;
  readonly suppressionAdded: number;
  /** The last contact id claimed: the next chunk starts after it. */
  readonly lastContactId: number;
}

/**
 * One chunk of an approved purge, in the caller's transaction: everything it changes (contacts
 * deleted with what hangs off them, tombstones, suppression entries, item statuses, one audit event)
 * commits together or not at all. Killed half way, the chunk's items are still pending and the next
 * run takes them again; committed, they are done and no run can claim them twice.
 *
 * Suppression is owed for R1 (the person asked to be forgotten) and for "Do not contact" rows (the
 * tag must outlive the row, so that a re-import cannot bring the address back untagged): the keyed
 * hash of each identifier (email and phone), with the tag, the reason and the purge's reference.
 */
export async function purgeChunk(trx: Knex.Transaction, pepper: string, batch: PurgeBatchRow, bounds: RetentionBounds, at: Date, chunk: { after: number; size: number }): Promise<ChunkResult | null> {
  const items = await claimPendingItems(trx, batch.id, chunk.after, chunk.size);
  if (items.length === 0) return null;
  await lockContacts(trx, items.map((i) => i.contact_id));
  const candidates = await recheckCandidates(trx, items, bounds);
  const skipped: Partial<Record<PurgeSkip, number>> = {};
  const tombstones = [];
  const suppressions = [];
  const outcomes = [];
  for (const c of candidates) {
    if (c.skip !== null || c.email === null) {
      const why = c.skip ?? 'gone';
      skipped[why] = (skipped[why] ?? 0) + 1;
      outcomes.push({ contactId: c.contactId, status: 'skipped' as const, note: why });
      continue;
    }
    const owed = c.reason === 'R1' || c.doNotContact;
    tombstones.push({ contactId: c.contactId, externalIdHash: c.externalId === null ? null : externalIdHash(pepper, c.externalId), reason: c.reason, suppressed: owed });
    if (owed) {
      const reason = c.doNotContact ? 'do-not-contact' : 'purge R1';
      const tag = c.doNotContact ? DO_NOT_CONTACT_TAG : null;
      for (const { kind, hmac } of identifierHashes(pepper, c)) suppressions.push({ hmac, kind, reason, tag });
    }
    outcomes.push({ contactId: c.contactId, status: 'done' as const, note: c.doNotContact ? DO_NOT_CONTACT_NOTE : owed ? SUPPRESSED_NOTE : null });
  }
  const written = await applyChunk(trx, { batchId: batch.id, sourceRef: batch.reference, at, tombstones, suppressions, outcomes });
  if (written.deleted !== tombstones.length || written.marked !== items.length) {
    // The rows were locked, so this cannot happen unless something bypassed the locks: undo it all.
    throw new Error(`purge chunk of ${batch.reference} changed ${written.deleted} contacts and ${written.marked} items, expected ${tombstones.length} and ${items.length}`);
  }
  await appendAuditEvent(trx, {
    actor: 'govbot', action: 'purge.chunk', subject: batch.reference, occurredAt: at,
    facts: {
      batch_id: batch.id, first_contact_id: items[0]!.contact_id, last_contact_id: items[items.length - 1]!.contact_id,
      claimed_count: items.length, deleted_count: written.deleted, skipped, suppression_added_count: written.suppressed,
    },
  });
  return { claimed: items.length, deleted: written.deleted, skipped, suppressionAdded: written.suppressed, lastContactId: items[items.length - 1]!.contact_id };
}
