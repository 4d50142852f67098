import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * CSRF tokens for the public forms, tied to the form and to the browser, and shared by replicas
 * without storage: the token names its form and when it was issued, carries a nonce that must match
 * the browser's SameSite=Strict cookie, and is signed with a key derived from the pepper every
 * replica already shares. A page from one form cannot post to the other; an old page is refused.
 */

export const CSRF_COOKIE = 'govbot_form';
/** Long enough to write a careful complaint, short enough that a harvested token soon dies. */
export const TOKEN_LIFETIME_MS = 4 * 3_600_000;

export type FormName = 'request' | 'complaint';

export function csrfKey(pepper: string): Buffer {
  return createHmac('sha256', pepper).update('public-form-csrf').digest();
}

export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** A cookie value we could have issued (so a garbled or hostile cookie is replaced, not reused). */
export function isNonce(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{24}$/.test(value);
}

function mac(key: Buffer, form: FormName, issuedAt: number, nonce: string): string {
  return createHmac('sha256', key).update(`${form}\u0000${issuedAt}\u0000${nonce}`).digest('base64url');
}

export function issueToken(key: Buffer, form: FormName, nonce: string, now: Date): string {
  const issuedAt = now.getTime();
  return `${issuedAt}.${nonce}.${mac(key, form, issuedAt, nonce)}`;
}

export type TokenCheck = 'ok' | 'missing' | 'invalid' | 'expired';

export function checkToken(key: Buffer, form: FormName, token: string | undefined, cookieNonce: string | undefined, now: Date): TokenCheck {
  if (!token) return 'missing';
  const [issued, nonce, signature, ...rest] = token.split('.');
  if (rest.length > 0 || !issued || !nonce || !signature || !/^\d{1,15}$/.test(issued)) return 'invalid';
  const expected = Buffer.from(mac(key, form, Number(issued), nonce));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'invalid';
  if (!isNonce(cookieNonce) || cookieNonce !== nonce) return 'invalid';
  const age = now.getTime() - Number(issued);
  if (age < -60_000 || age > TOKEN_LIFETIME_MS) return 'expired';
  return 'ok';
}

/** The nonce cookie from a Cookie header, without a cookie library for one value. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
