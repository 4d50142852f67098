import { isValidEmail, normaliseEmail } from '../domain/email.js';
import type { RequestType } from '../domain/request-types.js';
import { storableText } from '../domain/storable-text.js';
import { errorSummary, honeypotField, inputField, radioFieldset, type FieldErrors, type FieldValues } from './fields.js';
import { html, longDate, type Html } from './html.js';

/**
 * The public request form: which right, who they are, and how to reach them. In plain English (the
 * words on the page are the company speaking to the individual), with the rights explained in a line.
 */

export const REQUEST_CHOICES: readonly { value: RequestType; label: string; hint: string }[] = [
  { value: 'access', label: 'Get a copy of my personal data', hint: 'We send you the data we hold about you and how we use it.' },
  { value: 'rectification', label: 'Correct my personal data', hint: 'We may ask you what is wrong and what it should say.' },
  { value: 'erasure', label: 'Delete my personal data', hint: 'We delete it unless the law says we must keep it, and tell you if so.' },
  { value: 'do-not-contact', label: 'Stop contacting me', hint: 'We keep only what we need to make sure we never contact you again.' },
  { value: 'objection', label: 'Object to how my data is used', hint: 'For example, for marketing, or as a referee or case study.' },
  { value: 'restriction', label: 'Limit how my data is used', hint: 'We keep it but do not use it while a question is settled.' },
  { value: 'portability', label: 'Get my data in a reusable format', hint: 'A file you can give to another organisation.' },
  { value: 'withdraw-consent', label: 'Withdraw my consent', hint: 'Where we rely on your consent, we stop.' },
];

export const MAX_NAME = 200;
export const MAX_EMAIL = 254;
const FIELDS = ['type', 'full_name', 'email'] as const;

export interface PublicRequest {
  readonly type: RequestType;
  readonly fullName: string;
  readonly email: string;
}

/** Checks what was posted; every problem is kept beside its field, in words for the individual. */
export function parseRequestForm(values: FieldValues): { ok: true; value: PublicRequest } | { ok: false; errors: FieldErrors } {
  const errors: Record<string, string> = {};
  const type = REQUEST_CHOICES.find((c) => c.value === values.type)?.value;
  if (!type) errors.type = values.type ? 'Choose one of the requests listed' : 'Choose what you would like us to do';
  const fullName = values.full_name?.trim() ?? '';
  if (fullName === '') errors.full_name = 'Enter your full name';
  else if (fullName.length > MAX_NAME) errors.full_name = `Your name must be ${MAX_NAME} characters or fewer`;
  else if (!storableText(fullName).ok) errors.full_name = 'Your name contains a character we cannot store; type it again';
  const email = normaliseEmail(values.email ?? '');
  if (email === '') errors.email = 'Enter your email address';
  else if (email.length > MAX_EMAIL || !isValidEmail(email)) errors.email = 'Enter an email address in the correct format, like name@example.com';
  if (Object.keys(errors).length > 0 || !type) return { ok: false, errors };
  return { ok: true, value: { type, fullName, email } };
}

export function requestFormBody(values: FieldValues, errors: FieldErrors, token: string, company: string): Html {
  return html`<h1>Ask ${company} about your personal data</h1>
<p>Use this form to ask for a copy of your data, or to have it corrected, deleted or used differently. It is free. We reply within one month, or tell you within that month if we need longer.</p>
${errorSummary(errors, FIELDS)}<form method="post" action="/privacy/request" novalidate>
<input type="hidden" name="csrf" value="${token}">
${radioFieldset({ name: 'type', label: 'What would you like us to do?', values, errors, options: REQUEST_CHOICES })}
${inputField({ name: 'full_name', label: 'Your full name', type: 'text', autocomplete: 'name', required: true, maxLength: MAX_NAME, values, errors })}
${inputField({ name: 'email', label: 'Your email address', hint: 'We will only use it to reply to this request.', type: 'email', autocomplete: 'email', required: true, maxLength: MAX_EMAIL, values, errors })}
${honeypotField()}
<p>We may ask you to confirm your identity before we act, so that we never give your data to someone else.</p>
<button type="submit">Send request</button>
</form>
<p>Want to complain about how we handled your data? <a href="/privacy/complaint">Make a complaint</a>.</p>`;
}

export function requestAnswerBody(reference: string, dueOn: string | null, company: string): Html {
  return html`<div class="panel" role="status">
<h1>Request received</h1>
<p>Your reference is</p>
<p class="reference">${reference}</p>
</div>
<h2>What happens next</h2>
<p>${company}'s data protection committee will look at your request. Keep your reference: quote it whenever you contact us about this request.</p>
<p>We may ask you to confirm your identity first. If we do, the month we have to reply starts when we receive it.</p>
<p>We will reply ${dueOn ? html`by <strong>${longDate(dueOn)}</strong>` : 'within one month'}. If your request is complex we may need up to two more months; if so, we will tell you why before that date.</p>
<p>If you are unhappy with how we handle your request, you can <a href="/privacy/complaint">complain to us</a>, and you can complain to the Information Commissioner's Office (ico.org.uk).</p>`;
}
