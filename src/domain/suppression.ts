import { createHmac, createSecretKey } from 'node:crypto';
import { normaliseEmail } from './email.js';
import { keyedSha256 } from './hmac-sha256.js';
import { normalisePhone } from './phone.js';

/**
 * The suppression list (DESIGN §1, §4): after an erasure or an opt-out only a keyed hash of the
 * email is kept, so the register can still refuse to re-import or contact the person without
 * holding their address. Keyed (HMAC with SUPPRESSION_PEPPER), not a bare SHA-256, so the list
 * cannot be reversed by hashing a directory of known addresses.
 */

export { normaliseEmail };

/**
 * HMAC-SHA256 of the normalised email, as 64 lowercase hex digits. The pepper is used as its UTF-8
 * text, the generated file's 64 hex digits included, so copying that file's content into
 * SUPPRESSION_PEPPER keeps every existing hash valid.
 */
export function suppressionHash(pepper: string, email: string): string {
  if (pepper === '') throw new TypeError('suppression pepper is empty: resolve it with resolveSuppressionPepper');
  return createHmac('sha256', pepper).update(normaliseEmail(email), 'utf8').digest('hex');
}

/** The identifiers the suppression list keeps a keyed hash of. */
export type SuppressionKind = 'email' | 'phone';

/** The tag a do-not-contact record keeps, in the privacy notice's words (§7.1). */
export const DO_NOT_CONTACT_TAG = 'Do not contact';

/**
 * HMAC-SHA256 of `phone ‖ E.164 number`, or null when the text is not a number that can be placed
 * (nothing is suppressed on a guess). The kind is part of the keyed text, so a phone hash can never
 * equal an email hash; the email hash stays the bare address, as it was before phones were kept,
 * so existing entries stay valid (an address always holds an @, an E.164 number never does).
 */
export function phoneSuppressionHash(pepper: string, phone: string): string | null {
  if (pepper === '') throw new TypeError('suppression pepper is empty: resolve it with resolveSuppressionPepper');
  const normalised = normalisePhone(phone);
  if (normalised === null) return null;
  return createHmac('sha256', pepper).update(`phone:${normalised}`, 'utf8').digest('hex');
}

export interface IdentifierHash {
  readonly kind: SuppressionKind;
  readonly hmac: string;
}

/** The keyed hash of each identifier a contact has (email always; phone when it can be placed). */
export function identifierHashes(pepper: string, contact: { readonly email: string | null; readonly phone: string | null }): IdentifierHash[] {
  const hashes: IdentifierHash[] = [];
  if (contact.email !== null && contact.email.trim() !== '') hashes.push({ kind: 'email', hmac: suppressionHash(pepper, contact.email) });
  const phone = contact.phone === null ? null : phoneSuppressionHash(pepper, contact.phone);
  if (phone !== null) hashes.push({ kind: 'phone', hmac: phone });
  return hashes;
}

/** A suppression entry must be a hash: this keeps a raw address from ever being stored as one. */
export function isSuppressionHash(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

/**
 * Keyed like the suppression list, so a tombstone can be matched to a CRM id without holding it.
 * The CRM id is hashed as given (not normalised): it is the CRM's key, compared exactly.
 */
export function externalIdHash(pepper: string, externalId: string): string {
  if (pepper === '') throw new TypeError('suppression pepper is empty: resolve it with resolveSuppressionPepper');
  return createHmac('sha256', pepper).update(externalId, 'utf8').digest('hex');
}

/**
 * A keyed digest of a value a rectification replaced: the audit trail can prove what a field held
 * (whoever has the value and the pepper can check it) without holding the personal data itself.
 */
export function previousValueDigest(pepper: string, field: string, value: string | null): string {
  if (pepper === '') throw new TypeError('suppression pepper is empty: resolve it with resolveSuppressionPepper');
  return createHmac('sha256', pepper).update(`${field}\u0000${value ?? ''}`, 'utf8').digest('hex');
}

/**
 * Both hashes with the key prepared once: the same values as suppressionHash and externalIdHash,
 * for an import that hashes a million rows (a string key is re-derived on every call).
 */
export function keyedHasher(pepper: string): { email(email: string): string; externalId(externalId: string): string; phone(phone: string): string | null } {
  if (pepper === '') throw new TypeError('suppression pepper is empty: resolve it with resolveSuppressionPepper');
  const key = createSecretKey(Buffer.from(pepper, 'utf8'));
  const hash = (text: string) => createHmac('sha256', key).update(text, 'utf8').digest('hex');
  // The same keys as phoneSuppressionHash: a number that cannot be placed has no hash to check.
  const phone = (text: string) => {
    const normalised = normalisePhone(text);
    return normalised === null ? null : hash(`phone:${normalised}`);
  };
  return { email: (email) => hash(normaliseEmail(email)), externalId: hash, phone };
}

/** Writes a keyed hash's 32 bytes into `out` at `at`; false (nothing written) when there is none. */
export type DigestInto = (text: string, out: Uint8Array, at: number) => boolean;

/**
 * keyedHasher's hashes as raw bytes written in place, for the import's COPY buffer: the same
 * HMACs, a third of the cost each (hmac-sha256.ts), no hex text and no object per hash.
 */
export function identifierDigests(pepper: string): { email: DigestInto; externalId: DigestInto; phone: DigestInto } {
  if (pepper === '') throw new TypeError('suppression pepper is empty: resolve it with resolveSuppressionPepper');
  const hmac = keyedSha256(Buffer.from(pepper, 'utf8'));
  return {
    email: (email, out, at) => { hmac.into(normaliseEmail(email), out, at); return true; },
    externalId: (externalId, out, at) => { hmac.into(externalId, out, at); return true; },
    phone: (phone, out, at) => {
      const normalised = normalisePhone(phone);
      if (normalised === null) return false;
      hmac.into(`phone:${normalised}`, out, at);
      return true;
    },
  };
}
