import { html, type Html } from './html.js';

/**
 * Form controls as the GOV.UK pattern has them: label, hint, then the error beside the control it
 * is about (and named in aria-describedby, so a screen reader reads it with the field), the value
 * kept. Each field's id is its name, so the error summary can link to it.
 */
export type FieldErrors = Readonly<Record<string, string>>;
export type FieldValues = Readonly<Record<string, string>>;

interface Common {
  readonly name: string;
  readonly label: string;
  readonly hint?: string;
  readonly values: FieldValues;
  readonly errors: FieldErrors;
}

function describedBy(name: string, hint: string | undefined, error: string | undefined): string | null {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : null;
}

function hintAndError(name: string, hint: string | undefined, error: string | undefined): Html {
  return html`${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : null}${error ? html`<span class="error-message" id="${name}-error"><span class="visually-hidden">Error: </span>${error}</span>` : null}`;
}

export function inputField(f: Common & { readonly type: 'text' | 'email'; readonly autocomplete: string; readonly required?: boolean; readonly maxLength: number }): Html {
  const error = f.errors[f.name];
  const described = describedBy(f.name, f.hint, error);
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${f.name}">${f.label}</label>
${hintAndError(f.name, f.hint, error)}<input type="${f.type}" id="${f.name}" name="${f.name}" value="${f.values[f.name] ?? ''}" autocomplete="${f.autocomplete}" maxlength="${f.maxLength}"${f.type === 'email' ? html` spellcheck="false"` : null}${f.required ? html` required aria-required="true"` : null}${described ? html` aria-describedby="${described}"` : null}${error ? html` aria-invalid="true"` : null}>
</div>`;
}

export function textareaField(f: Common & { readonly required?: boolean; readonly maxLength: number }): Html {
  const error = f.errors[f.name];
  const described = describedBy(f.name, f.hint, error);
  return html`<div class="field${error ? ' has-error' : ''}">
<label for="${f.name}">${f.label}</label>
${hintAndError(f.name, f.hint, error)}<textarea id="${f.name}" name="${f.name}" rows="8" maxlength="${f.maxLength}"${f.required ? html` required aria-required="true"` : null}${described ? html` aria-describedby="${described}"` : null}${error ? html` aria-invalid="true"` : null}>${f.values[f.name] ?? ''}</textarea>
</div>`;
}

export function radioFieldset(f: Common & { readonly options: readonly { value: string; label: string; hint?: string }[] }): Html {
  const error = f.errors[f.name];
  const described = describedBy(f.name, f.hint, error);
  const chosen = f.values[f.name];
  return html`<div class="field${error ? ' has-error' : ''}">
<fieldset id="${f.name}"${described ? html` aria-describedby="${described}"` : null}>
<legend>${f.label}</legend>
${hintAndError(f.name, f.hint, error)}${f.options.map((o, i) => html`<div class="choice">
<input type="radio" id="${f.name}-${o.value}" name="${f.name}" value="${o.value}"${chosen === o.value ? html` checked` : null}${i === 0 ? html` required` : null}${o.hint ? html` aria-describedby="${f.name}-${o.value}-hint"` : null}>
<div><label for="${f.name}-${o.value}">${o.label}</label>${o.hint ? html`<span class="hint" id="${f.name}-${o.value}-hint">${o.hint}</span>` : null}</div>
</div>`)}
</fieldset>
</div>`;
}

/** Listed at the top, each linking to its field, and focused first by a screen reader (role=alert). */
export function errorSummary(errors: FieldErrors, order: readonly string[]): Html | null {
  const names = order.filter((name) => errors[name]);
  if (names.length === 0 && !errors._form) return null;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">There is a problem</h2>
${errors._form ? html`<p>${errors._form}</p>` : null}${names.length > 0 ? html`<ul>${names.map((name) => html`<li><a href="#${name}">${errors[name]!}</a></li>`)}</ul>` : null}
</div>`;
}

/**
 * A field no person sees or fills (off-screen, skipped by the tab key, hidden from screen readers);
 * a form that arrives with it filled was filled by a script.
 */
export const HONEYPOT = 'website';

export function honeypotField(): Html {
  return html`<div class="trap" aria-hidden="true"><label for="${HONEYPOT}">Leave this empty</label><input type="text" id="${HONEYPOT}" name="${HONEYPOT}" value="" tabindex="-1" autocomplete="off"></div>`;
}
