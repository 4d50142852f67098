/**
 * The public pages' one stylesheet, served from /privacy/form.css so the content security policy
 * can forbid inline styles. Large type, a single column, visible focus, errors marked by more than
 * colour (a bold message and a left bar), so the pages read well on a phone and with a screen reader.
 */
export const FORM_CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 100%; line-height: 1.5; color: #0b0c0c; background: #f3f2f1; }
body { margin: 0; }
.masthead { background: #1d2b4f; color: #fff; padding: 0.75rem 1rem; }
.masthead p { margin: 0; }
.company { font-weight: 700; font-size: 1.25rem; }
.strap { font-size: 0.95rem; opacity: 0.9; }
main { max-width: 40rem; margin: 0 auto; padding: 1rem; background: #fff; }
footer { max-width: 40rem; margin: 0 auto; padding: 1rem; font-size: 0.9rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
p, li { max-width: 36rem; }
a { color: #1d4ed8; }
a:focus, input:focus, textarea:focus, button:focus { outline: 3px solid #ffbf47; outline-offset: 1px; }
.field { margin: 0 0 1.5rem; }
.field.has-error { border-left: 5px solid #b10e1e; padding-left: 0.75rem; }
label, legend { display: block; font-weight: 700; margin-bottom: 0.25rem; }
legend { font-size: 1.1rem; padding: 0; }
fieldset { border: 0; padding: 0; margin: 0; }
.hint { display: block; color: #505a5f; margin-bottom: 0.4rem; }
.error-message { display: block; color: #b10e1e; font-weight: 700; margin-bottom: 0.4rem; }
input[type=text], input[type=email], textarea { width: 100%; font: inherit; padding: 0.5rem; border: 2px solid #0b0c0c; border-radius: 0; }
.has-error input, .has-error textarea { border-color: #b10e1e; }
textarea { min-height: 10rem; }
.choice { display: flex; align-items: flex-start; gap: 0.6rem; margin: 0.5rem 0; }
.choice input { width: 1.5rem; height: 1.5rem; margin: 0.1rem 0 0; flex: none; }
.choice label { font-weight: 400; margin: 0; }
.choice .hint { margin: 0; }
button { font: inherit; font-weight: 700; background: #00703c; color: #fff; border: 0; padding: 0.7rem 1.2rem; box-shadow: 0 2px 0 #002d18; cursor: pointer; }
.error-summary { border: 4px solid #b10e1e; padding: 1rem; margin-bottom: 1.5rem; }
.error-summary h2 { margin-top: 0; }
.panel { background: #00703c; color: #fff; padding: 1.25rem; margin-bottom: 1.5rem; text-align: center; }
.panel h1 { margin: 0 0 0.5rem; }
.panel p { margin: 0.25rem 0; }
.panel .reference { font-size: 1.6rem; font-weight: 700; letter-spacing: 0.02em; }
.visually-hidden, .trap { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 30rem) { h1 { font-size: 1.5rem; } main { padding: 0.75rem; } button { width: 100%; } }
`;
