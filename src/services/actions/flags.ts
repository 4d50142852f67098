import { DO_NOT_CONTACT_TAG, identifierHashes, type IdentifierHash } from '../../domain/suppression.js';
import { flagContacts, identifiersOfContacts } from '../../register/subject-data.js';
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
 * Objection to marketing, withdrawn consent, do not contact: the record stays, tagged, so the
 * person is never contacted again; a suppression entry for each identifier (the request's email,
 * and each tagged row's email and phone), with the tag and the request type as reason, keeps a
 * re-import from bringing an address or number back untagged, and is what remains of the record
 * when R1–R4 later delete it.
 */
export const suppress: ActionExecutor = async (trx, env, { request, contactIds, now }) => {
  const ids = await flagContacts(trx, contactIds, 'do_not_contact', now);
  const hashes: IdentifierHash[] = [{ kind: 'email', hmac: request.subject_hmac }];
  for (const contact of await identifiersOfContacts(trx, ids)) hashes.push(...identifierHashes(env.pepper, contact));
  let added = 0;
  for (const { kind, hmac } of hashes) {
    if (await addSuppression(trx, { emailHmac: hmac, kind, tag: DO_NOT_CONTACT_TAG, reason: request.type, sourceRef: request.reference })) added += 1;
  }
  return {
    summary: `Tagged ${describeRecords(ids)} "${DO_NOT_CONTACT_TAG}" and ${added > 0 ? 'added the keyed hashes of the email and phone to' : 'found the keyed hashes already on'} the suppression list.`,
    facts: { contact_ids: ids, flagged_count: ids.length, suppression_added: added > 0, suppression_added_count: added },
  };
};
