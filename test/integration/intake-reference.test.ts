import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderRequestCard } from '../../src/chat/cards/request-card.js';
import { clockEnv } from '../../src/services/request-clock.js';
import { loadRequestView } from '../../src/services/request-view.js';
import { verifyAudit } from '../../src/services/verify-audit.js';
import { createKnex } from '../../src/register/database.js';
import { logRequest, type NewRequestInput } from '../../src/services/log-request.js';
import { upsertContacts } from '../../src/register/contacts.js';
import { addSuppression } from '../../src/register/suppression-list.js';
import { phoneSuppressionHash, suppressionHash } from '../../src/domain/suppression.js';
import { createTestServices, slackUser, TEST_PEPPER, type TestServices } from '../support/service-context.js';

/**
 * The reference number is taken in a statement of its own, so intakes do not queue on the
 * counter for the length of each other's transactions. Numbers stay unique and in sequence, and a
 * number whose intake fails is accounted for in the audit chain rather than silently missing.
 */
let t: TestServices;

beforeEach(async () => { t = await createTestServices(); });
afterEach(async () => { await t.drop(); });

const input = (email: string): NewRequestInput => ({ type: 'access', email, fullName: null, receivedOn: null, via: 'email', agent: null, controller: null });

describe('intake reference numbers', () => {
  it('gives 20 concurrent intakes 20 distinct numbers, with no gap', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => logRequest(t.ctx, slackUser(`U${i}`), input(`p${i}@example.com`))));
    expect(results.every((r) => r.ok)).toBe(true);
    const references = (await t.db('requests').orderBy('reference').pluck('reference')) as string[];
    expect(references).toEqual(Array.from({ length: 20 }, (_, i) => `DSR-2026-${String(i + 1).padStart(4, '0')}`));
  });

  it('keeps the audit chain whole and one card per request when two replicas take 40 intakes at once', async () => {
    const other = createKnex(t.database.url, { min: 0, max: 10 });
    try {
      const replicas = [t.ctx, { ...t.ctx, db: other }];
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => logRequest(replicas[i % 2]!, slackUser(`U${i}`), input(`r${i}@example.com`))));
      expect(results.every((r) => r.ok)).toBe(true);
    } finally {
      await other.destroy();
    }
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true, count: 40 });
    const logged = await t.db('audit_events').where({ action: 'request.logged' }).orderBy('id').pluck('subject');
    expect(new Set(logged).size).toBe(40);
    const cards = await t.db('outbox').where({ operation: 'post' }).orderBy('id').pluck('card_key');
    const requestIds = await t.db('requests').orderBy('id').pluck('id');
    expect([...cards].sort()).toEqual(requestIds.map((id) => `request:${id}`).sort());
  });

  it('records a number left unused by a failed intake in the audit chain, and goes on from the next', async () => {
    await logRequest(t.ctx, slackUser('U1'), input('first@example.com'));
    await t.db.raw('alter table identity_checks rename to identity_checks_away');
    try {
      await expect(logRequest(t.ctx, slackUser('U1'), input('second@example.com'))).rejects.toThrow(/identity_checks/);
    } finally {
      await t.db.raw('alter table identity_checks_away rename to identity_checks');
    }
    expect(await t.db('requests').where({ subject_email: 'second@example.com' })).toHaveLength(0);
    const unused = await t.db('audit_events').where({ action: 'request.reference_unused' }).select('subject', 'actor');
    expect(unused).toEqual([{ subject: 'DSR-2026-0002', actor: 'slack:U1' }]);
    const third = await logRequest(t.ctx, slackUser('U1'), input('third@example.com'));
    expect(third.ok && third.value.reference).toBe('DSR-2026-0003');
    expect((await verifyAudit(t.db)).ok).toBe(true);
  });
});

describe('the card an intake posts', () => {
  it('is the card the register shows for the request once logged: plain, by an agent, a possible repeat, an objection', async () => {
    const inputs: NewRequestInput[] = [
      input('plain@example.com'),
      { ...input('agent@example.com'), agent: 'Agent Smith' },
      input('plain@example.com'),
      { ...input('objects@example.com'), type: 'objection', objection: { about: 'other', erase: true } },
    ];
    for (const request of inputs) {
      const logged = await logRequest(t.ctx, slackUser('U1'), request);
      if (!logged.ok) throw new Error(logged.error);
      const posted = await t.db('outbox').where({ card_key: `request:${logged.value.id}`, operation: 'post' }).first<{ payload: { card: unknown } }>('payload');
      const shown = renderRequestCard(await loadRequestView(t.db, logged.value.id, clockEnv(t.ctx.config, t.now())));
      expect(posted!.payload.card).toEqual(JSON.parse(JSON.stringify(shown)));
    }
  });

  it('is the register card too for a subject matched to contacts whose phone is suppressed, and the reply is the stored row', async () => {
    await upsertContacts(t.db, [1, 2].map((n) => ({
      externalId: `CRM-${n}`, email: 'Matched@Example.com', fullName: 'Matched Person', phone: n === 1 ? '+447700900123' : null, address: null, company: null,
      isCustomer: false, isSubscriber: true, firstCollectedAt: '2024-01-10', lastSuccessfulContactAt: null,
      inaccurate: false, legitimateInterestEndedAt: null, legalHold: false, doNotContact: false,
    })));
    await addSuppression(t.db, { emailHmac: phoneSuppressionHash(TEST_PEPPER, '+447700900123')!, kind: 'phone', reason: 'do-not-contact', tag: 'Do not contact' });
    await addSuppression(t.db, { emailHmac: suppressionHash(TEST_PEPPER, 'matched@example.com'), reason: 'objection' });
    const logged = await logRequest(t.ctx, slackUser('U1'), { ...input('matched@example.com'), type: 'erasure', fullName: 'Matched Person' });
    if (!logged.ok) throw new Error(logged.error);
    const stored = await t.db('requests').where({ id: logged.value.id }).first();
    expect(logged.value).toEqual(stored);
    expect(stored.details.matchedContactIds).toHaveLength(2);
    expect(stored.details.suppressed.map((s: { kind: string }) => s.kind).sort()).toEqual(['email', 'phone']);
    const posted = await t.db('outbox').where({ card_key: `request:${logged.value.id}`, operation: 'post' }).first<{ payload: { card: unknown } }>('payload');
    const shown = renderRequestCard(await loadRequestView(t.db, logged.value.id, clockEnv(t.ctx.config, t.now())));
    expect(posted!.payload.card).toEqual(JSON.parse(JSON.stringify(shown)));
    expect(await verifyAudit(t.db)).toMatchObject({ ok: true });
  });
});
