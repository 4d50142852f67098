import { DO_NOT_CONTACT_TAG, externalIdHash, identifierHashes, type IdentifierHash } from '../../domain/suppression.js';
import { forgetComplainantOnClosedComplaints } from '../../register/complaints.js';
import { forgetSubjectOnClosedRequests, updateRequest } from '../../register/requests.js';
import { deleteUnheldContacts, heldContactIds, insertTombstones } from '../../register/subject-data.js';
import { addSuppression } from '../../register/suppression-list.js';
import { forgetSubject, forgottenFacts } from '../forget-subject.js';
import { owe } from '../notices-owed.js';
import { clockEnv } from '../request-clock.js';
import { describeRecords, type ActionExecutor } from './executor.js';

/**
 * Erasure (retention reason R1): the rows go, with what hangs off them; a tombstone without personal
 * data stays for each; the keyed hash of each identifier (the request's email, and each deleted
 * row's email and phone) goes on the suppression list so it is never collected again; and the
 * request forgets the subject too, keeping only the masked email.
 *
 * A row under legal hold stays (Art 17(3)(e): needed for legal claims): the summary names it, and
 * the individual is owed a notice of what was kept and why (Art 12(4)), recorded by /dsr told.
 */
export const erase: ActionExecutor = async (trx, env, { request, contactIds, now }) => {
  const deleted = await deleteUnheldContacts(trx, contactIds);
  const held = await heldContactIds(trx, contactIds);
  await insertTombstones(trx, deleted.map((contact) => ({
    contactId: contact.id,
    externalIdHash: contact.external_id === null ? null : externalIdHash(env.pepper, contact.external_id),
    reason: 'R1', requestId: request.id, purgeBatchId: null, suppressed: true, erasedAt: now,
  })));
  // The rows' own hashes first, so a "Do not contact" row's tag is kept on the entry its email shares with the request.
  const entries: (IdentifierHash & { tag: string | null })[] = [];
  for (const contact of deleted) {
    const tag = contact.do_not_contact ? DO_NOT_CONTACT_TAG : null;
    for (const hash of identifierHashes(env.pepper, contact)) entries.push({ ...hash, tag });
  }
  entries.push({ kind: 'email', hmac: request.subject_hmac, tag: null });
  let added = 0;
  for (const entry of entries) {
    if (await addSuppression(trx, { emailHmac: entry.hmac, kind: entry.kind, tag: entry.tag, reason: 'erasure', sourceRef: request.reference })) added += 1;
  }
  const { corrections: _dropped, ...details } = request.details;
  await updateRequest(trx, request.id, { subject_email: null, subject_name: null, details: { ...details, ...(held.length > 0 ? { heldContactIds: held } : {}) } });
  const forgotten = await forgetSubjectOnClosedRequests(trx, request.subject_hmac);
  const complaintsCleared = await forgetComplainantOnClosedComplaints(trx, request.subject_hmac);
  // Every spelling of the address the deleted rows had, besides the request's own.
  const subjectHashes = [request.subject_hmac, ...entries.filter((e) => e.kind === 'email').map((e) => e.hmac)];
  const traces = await forgetSubject(trx, env.config.dataDir, subjectHashes, request.id, now);
  const ids = deleted.map((contact) => contact.id);
  // Not erasing part of what was asked is a decision not to act, with reasons (Art 12(4)): a notice
  // owed to the individual, on the card and chased by sla-reminders until /dsr told records it.
  if (held.length > 0 && request.controller === null) await owe(trx, request, 'legal-hold', clockEnv(env.config, now), now);
  const keptLine = held.length === 0 ? '' : ` Kept ${describeRecords(held)} under legal hold (Art 17(3)(e): needed for legal claims): tell the individual what was kept and why, then record it with /dsr told ${request.reference} legal-hold.`;
  return {
    summary: `Erased ${describeRecords(ids)}; kept a tombstone without personal data for each, added the keyed hashes of the email and phone to the suppression list, and removed the subject's details from this request${traces.exportFilesDeleted.length > 0 ? `, deleted ${traces.exportFilesDeleted.length} earlier export file(s)` : ''} and the free text on their requests.${keptLine}`,
    facts: {
      contact_ids: ids, erased_count: ids.length, held_ids: held, held_count: held.length,
      already_gone_ids: contactIds.filter((id) => !ids.includes(id) && !held.includes(id)),
      suppression_added: added, earlier_requests_cleared_count: forgotten, closed_complaints_cleared_count: complaintsCleared, ...forgottenFacts(traces),
    },
  };
};
