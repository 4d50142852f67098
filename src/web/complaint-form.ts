import { isValidEmail, normaliseEmail } from '../domain/email.js';
import { storableText } from '../domain/storable-text.js';
import { errorSummary, honeypotField, inputField, textareaField, type FieldErrors, type FieldValues } from './fields.js';
import { html, longDate, type Html } from './html.js';
import { MAX_EMAIL, MAX_NAME } from './request-form.js';

/** The public complaint form (DPA 2018 s.164A: a complaint form that can be completed electronically). */

export const MAX_SUMMARY = 4000;
export const MAX_REFERENCE = 40;
const FIELDS = ['summary', 'reference', 'full_name', 'email'] as const;

export interface PublicComplaint {
  readonly summary: string;
  readonly reference: string | null;
  readonly fullName: string | null;
  readonly email: string;
}

export function parseComplaintForm(values: FieldValues): { ok: true; value: PublicComplaint } | { ok: false; errors: FieldErrors } {
  const errors: Record<string, string> = {};
  const summary = values.summary?.trim() ?? '';
  if (summary === '') errors.summary = 'Tell us what your complaint is about';
  else if (summary.length > MAX_SUMMARY) errors.summary = `Your complaint must be ${MAX_SUMMARY} characters or fewer (it has ${summary.length}); you can send us more once we reply`;
  else if (!storableText(summary).ok) errors.summary = 'Your complaint contains a character we cannot store; type it again';
  const reference = values.reference?.trim() ?? '';
  if (reference.length > MAX_REFERENCE) errors.reference = `A reference is ${MAX_REFERENCE} characters or fewer, like DSR-2026-0001`;
  else if (reference !== '' && !/^[A-Za-z]{2,5}-\d{4}-\d{1,9}$/.test(reference)) errors.reference = 'Enter the reference as we gave it, like DSR-2026-0001, or leave this empty';
  const fullName = values.full_name?.trim() ?? '';
  if (fullName.length > MAX_NAME) errors.full_name = `Your name must be ${MAX_NAME} characters or fewer`;
  else if (!storableText(fullName).ok) errors.full_name = 'Your name contains a character we cannot store; type it again';
  const email = normaliseEmail(values.email ?? '');
  if (email === '') errors.email = 'Enter your email address, so we can reply';
  else if (email.length > MAX_EMAIL || !isValidEmail(email)) errors.email = 'Enter an email address in the correct format, like name@example.com';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { summary: storableText(summary).ok ? summary : '', reference: reference || null, fullName: fullName || null, email } };
}

export function complaintFormBody(values: FieldValues, errors: FieldErrors, token: string, company: string): Html {
  return html`<h1>Complain about how ${company} handled your personal data</h1>
<p>Tell us what went wrong. We will acknowledge your complaint within 30 days, look into it, and tell you what we found and what we have done.</p>
${errorSummary(errors, FIELDS)}<form method="post" action="/privacy/complaint" novalidate>
<input type="hidden" name="csrf" value="${token}">
${textareaField({ name: 'summary', label: 'What is your complaint about?', hint: 'What happened, and when. Please do not include bank details or passwords.', required: true, maxLength: MAX_SUMMARY, values, errors })}
${inputField({ name: 'reference', label: 'Reference of your request (optional)', hint: 'If it is about a request you made to us, its reference, like DSR-2026-0001.', type: 'text', autocomplete: 'off', maxLength: MAX_REFERENCE, values, errors })}
${inputField({ name: 'full_name', label: 'Your full name (optional)', type: 'text', autocomplete: 'name', maxLength: MAX_NAME, values, errors })}
${inputField({ name: 'email', label: 'Your email address', hint: 'We will only use it to reply to your complaint.', type: 'email', autocomplete: 'email', required: true, maxLength: MAX_EMAIL, values, errors })}
${honeypotField()}
<button type="submit">Send complaint</button>
</form>
<p>You can also complain to the Information Commissioner's Office (ico.org.uk), though they usually ask you to complain to us first.</p>`;
}

export function complaintAnswerBody(reference: string, ackDueOn: string, company: string): Html {
  return html`<div class="panel" role="status">
<h1>Complaint received</h1>
<p>Your reference is</p>
<p class="reference">${reference}</p>
</div>
<h2>What happens next</h2>
<p>${company}'s data protection committee will acknowledge your complaint by <strong>${longDate(ackDueOn)}</strong> at the latest, look into it without undue delay, and tell you the outcome.</p>
<p>Keep your reference: quote it whenever you contact us about this complaint.</p>
<p>If you are not happy with the outcome, you can complain to the Information Commissioner's Office (ico.org.uk).</p>`;
}
