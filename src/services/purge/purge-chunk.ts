import type { Knex } from 'knex';
import type { PurgeSkip, RetentionBounds } from '../../domain/purge.js';
import { DO_NOT_CONTACT_NOTE, SUPPRESSED_NOTE } from '../../domain/purge-tally.js';
import { DIGEST_BYTES } from '../../domain/hmac-sha256.js';
import { DO_NOT_CONTACT_TAG, identifierDigests } from '../../domain/suppression.js';
import { appendAuditEvent } from '../../register/audit-events.js';
import { chunkItems, claimAndLockChunk, purgeLockedChunk, type ChunkWrite, type LockedChunk } from '../../register/purge-run.js';
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

/** A chunk claimed and locked in its transaction, with its keyed hashes made, not yet written. */
export interface ClaimedChunk {
  readonly claimed: number;
  readonly firstContactId: number;
  readonly lastContactId: number;
  readonly items: ChunkWrite['items'];
  readonly suppressions: ChunkWrite['suppressions'];
}

/**
 * One chunk of an approved purge is two steps of one transaction: `claimChunk`, then `writeChunk`.
 * Everything it changes (contacts deleted with what hangs off them, tombstones, suppression
 * entries, item statuses, the subjects' export files and the free text on their requests, one audit
 * event) commits together or not at all. Killed half way, the chunk's items are still pending and
 * the next run takes them again; committed, they are done and no run can claim them twice.
 *
 * `claimChunk` claims the next pending items after `after`, locks their contacts and marks the
 * items as they will most likely end (done), then makes the keyed hashes in this process. Nothing it
 * changes is seen by another transaction before the chunk commits (the items stay locked by it), so
 * the runner can claim the next chunk while the one before is still being written (purge-chunks.ts);
 * `writeChunk` then marks the few items the re-check keeps as skipped.
 *
 * Suppression is owed for R1 (the person asked to be forgotten) and for "Do not contact" rows (the
 * tag must outlive the row, so that a re-import cannot bring the address back untagged): the keyed
 * hash of each identifier (email and phone), with the tag, the reason and the purge's reference.
 */
export async function claimChunk(trx: Knex.Transaction, pepper: string, batchId: number, chunk: { after: number; size: number }, at: Date): Promise<ClaimedChunk | null> {
  const locked = await claimAndLockChunk(trx, batchId, chunk.after, chunk.size, { at, notes: { suppressed: SUPPRESSED_NOTE, doNotContact: DO_NOT_CONTACT_NOTE } });
  const count = locked.contactIds.length;
  if (count === 0) return null;
  const digests = identifierDigests(pepper);
  const { emailHmacs, externalIdHashes } = await chunkHashes(digests, locked);
  const phoneDigest = Buffer.allocUnsafe(DIGEST_BYTES);
  const suppressions: ChunkWrite['suppressions'][number][] = [];
  for (let i = 0; i < count; i += 1) {
    const doNotContact = locked.doNotContact[i]!;
    if (locked.reasons[i] !== 'R1' && !doNotContact) continue;
    const contactId = locked.contactIds[i]!;
    const reason = doNotContact ? 'do-not-contact' : 'purge R1';
    const tag = doNotContact ? DO_NOT_CONTACT_TAG : null;
    const emailHmac = emailHmacs[i]!;
    if (emailHmac !== null) suppressions.push({ contactId, hmac: emailHmac, kind: 'email', reason, tag });
    const phone = locked.phones[i]!;
    const phoneHmac = phone !== null && digests.phone(phone, phoneDigest, 0) ? phoneDigest.toString('hex') : null;
    if (phoneHmac !== null) suppressions.push({ contactId, hmac: phoneHmac, kind: 'phone', reason, tag });
  }
  return {
    claimed: count, firstContactId: locked.contactIds[0]!, lastContactId: locked.contactIds[count - 1]!, suppressions,
    items: chunkItems(locked, { externalIdHashes, emailHmacs }),
  };
}

/** About 2 ms of hashing: the longest the event loop is held before a finished write is answered. */
const HASHES_BETWEEN_YIELDS = 1000;

/**
 * The keyed hashes of every CRM id and email of the chunk (keyedHasher's values: null for a contact
 * already gone or without an email), written into one buffer per column and read out as one hex
 * string each, cut into 64-digit pieces: two native calls a chunk rather than two per contact.
 */
async function chunkHashes(digests: ReturnType<typeof identifierDigests>, locked: LockedChunk): Promise<{ emailHmacs: (string | null)[]; externalIdHashes: (string | null)[] }> {
  const count = locked.contactIds.length;
  const emails = Buffer.allocUnsafe(count * DIGEST_BYTES);
  const externalIds = Buffer.allocUnsafe(count * DIGEST_BYTES);
  for (let i = 0; i < count; i += 1) {
    // The chunk before is being written meanwhile: its commit, and the next write, need not wait for all of these.
    if (i % HASHES_BETWEEN_YIELDS === HASHES_BETWEEN_YIELDS - 1) await new Promise((resolve) => setImmediate(resolve));
    const email = locked.emails[i]!;
    if (email !== null && email.trim() !== '') digests.email(email, emails, i * DIGEST_BYTES);
    const externalId = locked.externalIds[i]!;
    if (externalId !== null) digests.externalId(externalId, externalIds, i * DIGEST_BYTES);
  }
  const emailHex = emails.toString('hex');
  const externalIdHex = externalIds.toString('hex');
  const hex = DIGEST_BYTES * 2;
  const emailHmacs: (string | null)[] = [];
  const externalIdHashes: (string | null)[] = [];
  for (let i = 0; i < count; i += 1) {
    const email = locked.emails[i]!;
    emailHmacs.push(email === null || email.trim() === '' ? null : emailHex.slice(i * hex, (i + 1) * hex));
    externalIdHashes.push(locked.externalIds[i] === null ? null : externalIdHex.slice(i * hex, (i + 1) * hex));
  }
  return { emailHmacs, externalIdHashes };
}

/**
 * Re-checks, deletes, tombstones, suppresses and marks the claimed chunk (purgeLockedChunk), then
 * forgets what else the register keeps about subjects now gone, and appends the chunk's audit event.
 *
 * Nothing left behind (DESIGN §1): once no contact with a deleted row's address remains, that
 * subject's earlier export files go, and the free text, address and name on their closed requests,
 * for the whole chunk at once; the audit event counts them, never names them.
 */
export async function writeChunk(trx: Knex.Transaction, env: ChunkEnvironment, batch: PurgeBatchRow, bounds: RetentionBounds, at: Date, chunk: ClaimedChunk): Promise<ChunkResult> {
  const written = await purgeLockedChunk(trx, {
    batchId: batch.id, sourceRef: batch.reference, at, items: chunk.items, suppressions: chunk.suppressions,
  }, bounds);
  if (written.tombstoned !== written.deleted || written.deleted + written.kept !== chunk.claimed) {
    // The rows were locked, so this cannot happen unless something bypassed the locks: undo it all.
    throw new Error(`purge chunk of ${batch.reference} deleted ${written.deleted} contacts, tombstoned ${written.tombstoned} and kept ${written.kept} of ${chunk.claimed} items`);
  }
  const forgotten = written.forget.length > 0 ? await forgetSubject(trx, env.dataDir, written.forget, null, at) : null;
  // As a request's erasure does: their closed requests keep the masked reference, not the address or name.
  const cleared = written.forget.length > 0 ? await forgetSubjectsOnClosedRequests(trx, written.forget) : 0;
  await appendAuditEvent(trx, {
    actor: 'govbot', action: 'purge.chunk', subject: batch.reference, occurredAt: at,
    facts: {
      batch_id: batch.id, first_contact_id: chunk.firstContactId, last_contact_id: chunk.lastContactId, claimed_count: chunk.claimed, deleted_count: written.deleted,
      skipped: written.skipped, suppression_added_count: written.suppressed, subjects_forgotten_count: written.forget.length,
      ...(forgotten ? forgottenFacts(forgotten) : {}), earlier_requests_cleared_count: cleared,
    },
  });
  return { claimed: chunk.claimed, deleted: written.deleted, skipped: written.skipped, suppressionAdded: written.suppressed, lastContactId: chunk.lastContactId };
}
