/** Small HTML builders for the report: every text goes through `esc`, so nothing is markup by accident. */
export function esc(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function table(headers: readonly string[], rows: readonly (readonly (string | number | null)[])[], empty = 'None.'): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${esc(cell)}</th>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`).join('')
  }</tbody></table>`;
}

export function pairs(values: Readonly<Record<string, number>>): [string, number][] {
  return Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
}

/**
 * Reasons are typed by the committee; they should not name anyone, but an email address or a long
 * number (a phone, an account) is taken out before the report shows them, in case one did.
 */
export function scrubbed(text: string | null): string {
  if (text === null) return '';
  return text.replace(/[^\s@]+@[^\s@]+\.[^\s@]+/g, '[email removed]').replace(/\+?\d[\d\s-]{6,}\d/g, '[number removed]');
}

export const STYLE = `
  :root { color-scheme: light; --ink: #1b1b1b; --muted: #555; --rule: #d0d0d0; --accent: #0072B2; }
  * { box-sizing: border-box; }
  body { font: 15px/1.45 "DejaVu Sans", Verdana, system-ui, sans-serif; color: var(--ink); margin: 2rem auto; max-width: 60rem; padding: 0 1.2rem; }
  h1 { font-size: 1.7rem; margin: 0 0 .2rem; } h2 { font-size: 1.25rem; border-bottom: 2px solid var(--accent); padding-bottom: .2rem; margin-top: 2.2rem; }
  h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
  .meta, .empty, figcaption { color: var(--muted); }
  dl.headline { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem; background: #f4f8fb; padding: 1rem 1.2rem; border-left: 4px solid var(--accent); }
  dl.headline dt { font-weight: bold; } dl.headline dd { margin: 0; }
  table { border-collapse: collapse; margin: .4rem 0 1rem; min-width: 50%; }
  th, td { border-bottom: 1px solid var(--rule); padding: .3rem .7rem .3rem 0; text-align: left; vertical-align: top; }
  thead th { border-bottom: 2px solid var(--ink); }
  tbody th { font-weight: normal; }
  td { font-variant-numeric: tabular-nums; }
  code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: .85em; word-break: break-all; }
  figure { margin: 1rem 0 1.6rem; } figure svg { max-width: 100%; height: auto; display: block; }
  .charts { display: grid; grid-template-columns: 1fr; gap: 1rem; }
  dl.definitions dt { font-weight: bold; margin-top: .6rem; } dl.definitions dd { margin: .1rem 0 0; }
  .warning { color: #a03000; font-weight: bold; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10.5pt; }
    h2 { break-after: avoid; } table, figure, dl.headline { break-inside: avoid; }
    a { color: inherit; text-decoration: none; }
  }
`;
