import { externalIdHash, suppressionHash } from '../../domain/suppression.js';
import { forgetComplainantOnClosedComplaints } from '../../register/complaints.js';
import { forgetSubjectOnClosedRequests, updateRequest } from '../../register/requests.js';
import { deleteContacts, insertTombstones } from '../../register/subject-data.js';
import { addSuppression } from '../../register/suppression-list.js';
import { describeRecords, type ActionExecutor } from './executor.js';

/**
 * Erasure (retention reason R1): the rows go, with what hangs off them; a tombstone without personal
 * data stays for each; the subject's keyed hash goes on the suppression list so the address is never
 * collected again; and the request forgets the subject too, keeping only the masked email.
 */
export const erase: ActionExecutor = async (trx, env, { request, contactIds, now }) => {
  const deleted = await deleteContacts(trx, contactIds);
  await insertTombstones(trx, deleted.map((contact) => ({
    contactId: contact.id,
    externalIdHash: contact.external_id === null ? null : externalIdHash(env.pepper, contact.external_id),
    reason: 'R1', requestId: request.id, purgeBatchId: null, suppressed: true, erasedAt: now,
  })));
  // The request's hash, and each deleted row's own address should it differ in spelling.
  const hashes = new Set([request.subject_hmac, ...deleted.map((contact) => suppressionHash(env.pepper, contact.email))]);
  let added = 0;
  for (const emailHmac of hashes) {
    if (await addSuppression(trx, { emailHmac, reason: 'erasure', sourceRef: request.reference })) added += 1;
  }
  const { corrections: _dropped, ...details } = request.details;
  await updateRequest(trx, request.id, { subject_email: null, subject_name: null, details });
  const forgotten = await forgetSubjectOnClosedRequests(trx, request.subject_hmac);
  const complaintsCleared = await forgetComplainantOnClosedComplaints(trx, request.subject_hmac);
  const ids = deleted.map((contact) => contact.id);
  return {
    summary: `Erased ${describeRecords(ids)}; kept a tombstone without personal data for each, added the email's keyed hash to the suppression list, and removed the subject's details from this request.`,
    facts: { contact_ids: ids, erased_count: ids.length, already_gone_ids: contactIds.filter((id) => !ids.includes(id)), suppression_added: added, earlier_requests_cleared_count: forgotten, closed_complaints_cleared_count: complaintsCleared },
  };
};
