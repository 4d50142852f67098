import type { Knex } from 'knex';
import type { PurgeSkip, RetentionBounds } from '../../domain/purge.js';
import { DO_NOT_CONTACT_NOTE, SUPPRESSED_NOTE } from '../../domain/purge-tally.js';
import { DO_NOT_CONTACT_TAG, keyedHasher } from '../../domain/suppression.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { claimAndLockChunk, purgeLockedChunk, type ChunkWrite } from '../../register/purge-run.js';
import type { PurgeBatchRow } from '../../register/purges.js';
import { forgetSubjectsOnClosedRequests } from '../../register/requests.js';
import { forgetSubject, forgottenFacts } from '../forget-subject.js';

export interface ChunkResult {
  readonly claimed: number;
  readonly deleted: number;
  readonly skipped: Readonly<Partial<Record<PurgeSkip, number>>>;
  readonly suppressionAdded: number;
  /** The last contact id claimed: the next chunk starts after it. */
  readonly lastContactId: number;
}

export interface ChunkEnvironment {
  readonly pepper: string;
  readonly dataDir: string;
}

/**
 * One chunk of an approved purge, in the caller's transaction: everything it changes (contacts
 * deleted with what hangs off them, tombstones, suppression entries, item statuses, the subjects'
 * export files and the free text on their requests, one audit event) commits together or not at
 * all. Killed half way, the chunk's items are still pending and the next run takes them again;
 * committed, they are done and no run can claim them twice.
 *
 * Suppression is owed for R1 (the person asked to be forgotten) and for "Do not contact" rows (the
 * tag must outlive the row, so that a re-import cannot bring the address back untagged): the keyed
 * hash of each identifier (email and phone), with the tag, the reason and the purge's reference.
 *
 * Nothing left behind (DESIGN §1): once no contact with a deleted row's address remains, that
 * subject's earlier export files go, and the free text, address and name on their closed requests,
 * for the whole chunk at once; the audit event counts them, never names them.
 */
export async function purgeChunk(trx: Knex.Transaction, env: ChunkEnvironment, batch: PurgeBatchRow, bounds: RetentionBounds, at: Date, chunk: { after: number; size: number }): Promise<ChunkResult | null> {
  const locked = await claimAndLockChunk(trx, batch.id, chunk.after, chunk.size);
  if (locked.length === 0) return null;
  const hasher = keyedHasher(env.pepper);
  const suppressions: ChunkWrite['suppressions'][number][] = [];
  const items = locked.map((c) => {
    const emailHmac = c.email === null || c.email.trim() === '' ? null : hasher.email(c.email);
    if (c.reason === 'R1' || c.doNotContact) {
      const reason = c.doNotContact ? 'do-not-contact' : 'purge R1';
      const tag = c.doNotContact ? DO_NOT_CONTACT_TAG : null;
      if (emailHmac !== null) suppressions.push({ contactId: c.contactId, hmac: emailHmac, kind: 'email', reason, tag });
      const phoneHmac = c.phone === null ? null : hasher.phone(c.phone);
      if (phoneHmac !== null) suppressions.push({ contactId: c.contactId, hmac: phoneHmac, kind: 'phone', reason, tag });
    }
    return { ...c, emailHmac, externalIdHash: c.externalId === null ? null : hasher.externalId(c.externalId) };
  });
  const written = await purgeLockedChunk(trx, {
    batchId: batch.id, sourceRef: batch.reference, at, items, suppressions,
    notes: { suppressed: SUPPRESSED_NOTE, doNotContact: DO_NOT_CONTACT_NOTE },
  }, bounds);
  if (written.tombstoned !== written.deleted || written.marked !== locked.length) {
    // The rows were locked, so this cannot happen unless something bypassed the locks: undo it all.
    throw new Error(`purge chunk of ${batch.reference} deleted ${written.deleted} contacts, tombstoned ${written.tombstoned} and marked ${written.marked} items of ${locked.length}`);
  }
  const forgotten = written.forget.length > 0 ? await forgetSubject(trx, env.dataDir, written.forget, null, at) : null;
  // As a request's erasure does: their closed requests keep the masked reference, not the address or name.
  const cleared = written.forget.length > 0 ? await forgetSubjectsOnClosedRequests(trx, written.forget) : 0;
  const first = locked[0]!.contactId;
  const last = locked[locked.length - 1]!.contactId;
  await appendAuditEvent(trx, {
    actor: 'govbot', action: 'purge.chunk', subject: batch.reference, occurredAt: at,
    facts: {
      batch_id: batch.id, first_contact_id: first, last_contact_id: last, claimed_count: locked.length, deleted_count: written.deleted,
      skipped: written.skipped, suppression_added_count: written.suppressed, subjects_forgotten_count: written.forget.length,
      ...(forgotten ? forgottenFacts(forgotten) : {}), earlier_requests_cleared_count: cleared,
    },
  });
  return { claimed: locked.length, deleted: written.deleted, skipped: written.skipped, suppressionAdded: written.suppressed, lastContactId: last };
}
