import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { upsertMember } from '../../src/register/committee.js';
import { mountPublicForms } from '../../src/web/public-forms.js';
import { cardText, outboxMessages } from '../support/calendar.js';
import { createTestServices, registerSnapshot, type TestServices } from '../support/service-context.js';
import { openForm, postForm, submit } from '../support/web-forms.js';
import { HOSTILE_FRAGMENTS } from '../support/hostile-text.js';

/**
 * The public forms in process, on a real HTTP listener and a real register: every bad input the
 * issue lists gets a clear page or a 4xx and stores nothing; good ones land in the register with
 * their card queued for the committee.
 */
let t: TestServices;
let server: http.Server;
let base: string;

async function listen(trustedProxies: readonly string[] = []): Promise<void> {
  const app = express();
  mountPublicForms(app, { services: t.ctx, company: 'Aiimi', trustedProxies, platform: 'slack' });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeEach(async () => {
  t = await createTestServices();
  await upsertMember(t.db, { platform: 'slack', userId: 'UM1', role: 'chair', addedBy: 'test' });
  await listen();
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.drop();
});

const stored = async () => ({ ...await registerSnapshot(t.db), complaints: JSON.stringify(await t.db('complaints').orderBy('id')) });
const goodRequest = { type: 'access', full_name: 'Jo Bloggs', email: 'jo.bloggs@example.com' };
const goodComplaint = { summary: 'You did not answer my access request.', email: 'jo.bloggs@example.com', full_name: '', reference: '' };

describe('the request form', () => {
  it('serves an accessible page with security headers, logs the request via web and answers with the reference and due date', async () => {
    const form = await openForm(base, '/privacy/request');
    expect(form.page).toContain('<label for="email">Your email address</label>');
    expect(form.page).toContain('<legend>What would you like us to do?</legend>');
    expect(form.page).toContain('Ask Aiimi about your personal data');
    expect(form.page).not.toMatch(/<script/i);
    expect(form.headers.get('content-security-policy')).toBe("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
    expect(form.headers.get('x-frame-options')).toBe('DENY');
    expect(form.headers.get('cache-control')).toBe('no-store');
    expect(form.cookie).toMatch(/^govbot_form=[\w-]{24}$/);
    const answer = await postForm(base, '/privacy/request', goodRequest, form);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('DSR-2026-0001');
    expect(answer.text).toContain('We will reply by <strong>Thursday 2 April 2026</strong>');
    expect(answer.text).toContain('We may ask you to confirm your identity first');
    expect(await t.db('requests').first()).toMatchObject({ reference: 'DSR-2026-0001', type: 'access', received_via: 'web', subject_email: 'jo.bloggs@example.com', requested_by: 'public web form' });
    const card = (await outboxMessages(t.db)).find((m) => m.card_key?.startsWith('request:'));
    expect(cardText(card?.card)).toContain('Logged by: public web form');
    expect(cardText(card?.card)).toContain('j***@example.com');
    expect(t.kicked).toContain('deliver-outbox');
  });

  it('gives the same answer whether or not the email is known to the register', async () => {
    await t.db('contacts').insert({ external_id: 'CRM-1', email: 'known@example.com', full_name: 'Known Person' });
    const known = await submit(base, '/privacy/request', { ...goodRequest, email: 'known@example.com' });
    const unknown = await submit(base, '/privacy/request', { ...goodRequest, email: 'stranger@example.com' });
    const strip = (text: string) => text.replace(/DSR-2026-\d{4}/g, 'REF');
    expect(known.status).toBe(unknown.status);
    expect(strip(known.text)).toBe(strip(unknown.text));
  });

  it('shows inline errors beside the fields, keeps the values, and stores nothing', async () => {
    const before = await stored();
    const answer = await submit(base, '/privacy/request', { type: 'telepathy', full_name: 'Jo', email: 'jo at example' });
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('<title>Error: Make a request about your personal data');
    expect(answer.text).toMatch(/<fieldset id="type" aria-describedby="type-error">/);
    expect(answer.text).toContain('<span class="error-message" id="type-error"><span class="visually-hidden">Error: </span>Choose one of the requests listed</span>');
    expect(answer.text).toContain('id="email-error"><span class="visually-hidden">Error: </span>Enter an email address in the correct format, like name@example.com');
    expect(answer.text).toContain('value="jo at example"');
    expect(answer.text).toContain('<a href="#email">');
    expect(await stored()).toEqual(before);
  });
});

describe('the complaint form', () => {
  it('registers the complaint via web, answers with the reference and the acknowledgement date, and queues the card', async () => {
    const answer = await submit(base, '/privacy/complaint', goodComplaint);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('CMP-2026-001');
    expect(answer.text).toContain('will acknowledge your complaint by <strong>Wednesday 1 April 2026</strong>');
    expect(await t.db('complaints').first()).toMatchObject({ reference: 'CMP-2026-001', received_via: 'web', complainant_email: 'jo.bloggs@example.com', ack_due_on: '2026-04-01', logged_by: 'public web form' });
    const card = (await outboxMessages(t.db)).find((m) => m.card_key?.startsWith('complaint:'));
    expect(card?.card?.sections.flatMap((s) => s.buttons ?? []).map((b) => b.label)).toEqual(['Acknowledge complaint']);
  });

  it('links a reference only to the complainant\'s own request, and answers alike either way', async () => {
    const own = await submit(base, '/privacy/request', goodRequest);
    expect(own.status).toBe(200);
    const mine = await submit(base, '/privacy/complaint', { ...goodComplaint, reference: 'dsr-2026-1' });
    const theirs = await submit(base, '/privacy/complaint', { ...goodComplaint, email: 'other@example.com', reference: 'DSR-2026-0001' });
    const strip = (text: string) => text.replace(/CMP-2026-\d{3}/g, 'REF');
    expect(strip(mine.text)).toBe(strip(theirs.text));
    const rows = await t.db('complaints').orderBy('id').select('about_request_id', 'summary');
    expect(rows[0]).toMatchObject({ about_request_id: expect.any(Number), summary: goodComplaint.summary });
    expect(rows[1]).toMatchObject({ about_request_id: null, summary: `${goodComplaint.summary}\n(Reference given on the form: DSR-2026-0001)` });
  });

  it('refuses an empty summary, a bad email and a malformed reference beside each field, storing nothing', async () => {
    const before = await stored();
    const answer = await submit(base, '/privacy/complaint', { summary: '   ', email: 'nope', reference: 'hello world', full_name: '' });
    expect(answer.status).toBe(422);
    expect(answer.text).toContain('id="summary-error"><span class="visually-hidden">Error: </span>Tell us what your complaint is about');
    expect(answer.text).toContain('id="email-error"');
    expect(answer.text).toContain('id="reference-error"');
    expect(await stored()).toEqual(before);
  });
});

describe('safety of the public pages', () => {
  it('refuses a missing, forged, other-form or other-browser CSRF token with 403, keeping the values', async () => {
    const before = await stored();
    const request = await openForm(base, '/privacy/request');
    const complaint = await openForm(base, '/privacy/complaint');
    const other = await openForm(base, '/privacy/request');
    const cases = [
      await postForm(base, '/privacy/request', goodRequest, { cookie: request.cookie }),
      await postForm(base, '/privacy/request', goodRequest, { cookie: request.cookie, token: `${request.token.slice(0, -2)}xx` }),
      await postForm(base, '/privacy/request', goodRequest, { cookie: complaint.cookie, token: complaint.token }),
      await postForm(base, '/privacy/request', goodRequest, { cookie: other.cookie, token: request.token }),
      await postForm(base, '/privacy/request', goodRequest, { token: request.token }),
    ];
    for (const answer of cases) {
      expect(answer.status).toBe(403);
      expect(answer.text).toContain('We could not confirm that this form came from our page.');
      expect(answer.text).toContain('value="jo.bloggs@example.com"');
    }
    t.setNow('2026-03-02T15:00:00Z');
    const expired = await postForm(base, '/privacy/request', goodRequest, request);
    expect(expired.status).toBe(403);
    expect(expired.text).toContain('it has expired');
    expect(await stored()).toEqual(before);
  });

  it('refuses a filled honeypot, a 100 KB summary (413) and a crafted body, storing nothing', async () => {
    const before = await stored();
    const trapped = await submit(base, '/privacy/complaint', { ...goodComplaint, website: 'http://spam.example' });
    expect(trapped.status).toBe(400);
    expect(trapped.text).toContain('sent by a program');
    const huge = await submit(base, '/privacy/complaint', { ...goodComplaint, summary: 'x'.repeat(100 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.text).toContain('Your form is too long');
    const long = await submit(base, '/privacy/complaint', { ...goodComplaint, summary: 'x'.repeat(5000) });
    expect(long.status).toBe(422);
    expect(long.text).toContain('Your complaint must be 4000 characters or fewer');
    const form = await openForm(base, '/privacy/request');
    const arrays = await fetch(`${base}/privacy/request`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
      body: `csrf=${encodeURIComponent(form.token)}&type=access&type=erasure&email=a@example.com&email=b@example.com&full_name=Jo`,
    });
    expect(arrays.status).toBe(422);
    const json = await fetch(`${base}/privacy/request`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: form.cookie }, body: JSON.stringify({ csrf: form.token, ...goodRequest }) });
    expect(json.status).toBe(403);
    expect(await stored()).toEqual(before);
  });

  it('shows HTML and script typed into every field escaped, on the page and on the card', async () => {
    const script = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
    const error = await submit(base, '/privacy/request', { type: script, full_name: script, email: script });
    expect(error.status).toBe(422);
    expect(error.text).not.toContain('<script>alert');
    expect(error.text).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;"');
    const hostile = HOSTILE_FRAGMENTS.filter((f) => f !== '\u0000').join(' ');
    const nul = await submit(base, '/privacy/complaint', { summary: `${script} \u0000`, full_name: script, email: 'jo@example.com', reference: '' });
    expect(nul.status).toBe(422);
    expect(nul.text).toContain('contains a character we cannot store');
    expect(nul.text).not.toContain('<script>alert');
    const answer = await submit(base, '/privacy/complaint', { summary: `${script} ${hostile}`, full_name: script, email: 'jo@example.com', reference: '' });
    expect(answer.status).toBe(200);
    expect(answer.text).not.toContain('<script>alert');
    const card = (await outboxMessages(t.db)).find((m) => m.card_key?.startsWith('complaint:'));
    expect(cardText(card?.card)).toContain('<script>alert(1)</script>');
  });

  it('answers 429 with Retry-After after 10 submissions from one client, counting in Postgres, and others are unaffected', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const session = await openForm(base, '/privacy/complaint');
    for (let i = 0; i < 50; i += 1) {
      const answer = await postForm(base, '/privacy/complaint', { ...goodComplaint, summary: '' }, session);
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.headers.get('retry-after');
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(422));
    expect(statuses.slice(10)).toEqual(Array(40).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(600);
    expect(await t.db('rate_limits').count<{ count: number }[]>('* as count')).toEqual([{ count: 1 }]);
    expect(JSON.stringify(await t.db('rate_limits').select())).not.toContain('127.0.0.1');
    // A header anyone can set does not make a new client while no proxy is trusted.
    expect((await postForm(base, '/privacy/complaint', goodComplaint, session, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(429);
    t.setNow('2026-03-02T10:10:00Z');
    expect((await postForm(base, '/privacy/complaint', goodComplaint, session)).status).toBe(200);
  });

  it('behind a trusted proxy, counts the address the proxy saw, never what the client wrote to its left', async () => {
    await new Promise((resolve) => server.close(resolve));
    await listen(['127.0.0.1']);
    const session = await openForm(base, '/privacy/complaint');
    const from = (chain: string) => postForm(base, '/privacy/complaint', { ...goodComplaint, summary: '' }, session, { 'x-forwarded-for': chain });
    for (let i = 0; i < 10; i += 1) expect((await from(`10.9.9.${i}, 203.0.113.7`)).status).toBe(422);
    expect((await from('1.1.1.1, 203.0.113.7')).status).toBe(429);
    expect((await from('203.0.113.8')).status).toBe(422);
  });
});
