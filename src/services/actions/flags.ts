import { flagContacts } from '../../register/subject-data.js';
import { addSuppression } from '../../register/suppression-list.js';
import { describeRecords, type ActionExecutor } from './executor.js';

/** Restriction: the data is kept but not used. */
export const restrict: ActionExecutor = async (trx, _env, { contactIds, now }) => {
  const ids = await flagContacts(trx, contactIds, 'processing_restricted', now);
  return {
    summary: `Set "processing restricted" on ${describeRecords(ids)}: the data is kept but not used.`,
    facts: { contact_ids: ids, flagged_count: ids.length },
  };
};

/**
 * Objection, withdrawn consent, do not contact: the record stays, tagged, so the person is never
 * contacted again; the suppression entry (reason = the request type) keeps a re-import from
 * bringing the address back untagged.
 */
export const suppress: ActionExecutor = async (trx, _env, { request, contactIds, now }) => {
  const ids = await flagContacts(trx, contactIds, 'do_not_contact', now);
  const added = await addSuppression(trx, { emailHmac: request.subject_hmac, reason: request.type, sourceRef: request.reference });
  return {
    summary: `Tagged ${describeRecords(ids)} "Do not contact" and ${added ? 'added the email\'s keyed hash to' : 'found the email\'s keyed hash already on'} the suppression list.`,
    facts: { contact_ids: ids, flagged_count: ids.length, suppression_added: added },
  };
};
