/**
 * Server-rendered HTML for the public pages: every value that came from a person goes through
 * `escapeHtml` (text and attribute values alike), so markup typed into a field is shown, never run.
 */

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A fragment of HTML already escaped; `html` only concatenates these and escapes everything else. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

type Part = Html | string | number | null | undefined | false | readonly Html[];

/** Tagged template: interpolated strings are escaped, Html fragments and arrays of them are not. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((part, i) => {
    out += render(part) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return part.map((p: Html) => p.value).join('');
  return escapeHtml(String(part));
}

export interface PageOptions {
  readonly title: string;
  readonly company: string;
  readonly body: Html;
}

/** The page around every form and answer: one stylesheet of our own, no script, readable on a phone. */
export function page({ title, company, body }: PageOptions): string {
  return `<!doctype html>${html`<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title} – ${company}</title>
<link rel="stylesheet" href="/privacy/form.css">
</head>
<body>
<header class="masthead"><p class="company">${company}</p><p class="strap">Your personal data</p></header>
<main id="main">
${body}
</main>
<footer><p>${company} · <a href="/privacy/request">Make a request about your data</a> · <a href="/privacy/complaint">Make a complaint</a></p></footer>
</body>
</html>`.value}\n`;
}

/** "Wednesday 1 April 2026": dates on public pages as people write them. */
export function longDate(isoDate: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
    .formatToParts(new Date(`${isoDate}T12:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}
