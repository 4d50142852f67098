import { expect } from 'vitest';
import type { CommandRoot } from '../../commands/dispatch.js';
import type { Actor } from '../../src/chat/actor.js';
import type { Card } from '../../src/chat/card.js';
import type { Db } from '../../src/register/database.js';
import { registerSnapshot, type CommandDriver } from './service-context.js';

/**
 * The committee's calendar (notice and processor reviews, breaches) lives in tables that
 * registerSnapshot does not cover: this adds them, so a refused command is shown to change nothing.
 */
const CALENDAR_TABLES = ['processors', 'processor_reviews', 'notice_reviews', 'regulatory_changes', 'breaches',
  'reminders_sent', 'reference_counters'] as const;

export async function calendarSnapshot(db: Db): Promise<Record<string, string>> {
  const snapshot = await registerSnapshot(db);
  for (const table of CALENDAR_TABLES) {
    const result = await db.raw<{ rows: { count: number; digest: string | null }[] }>(
      `select count(*)::int as count, md5(string_agg(t::text, '|' order by t::text)) as digest from ${table} t`);
    snapshot[table] = `${result.rows[0]?.count ?? 0}:${result.rows[0]?.digest ?? ''}`;
  }
  return snapshot;
}

/** `driver.refused`, with the calendar tables checked too. */
export async function refusedAll(d: CommandDriver, db: Db, who: Actor, root: CommandRoot, text: string, ...expected: string[]): Promise<string> {
  const before = await calendarSnapshot(db);
  const said = await d.refused(who, root, text, ...expected);
  expect(await calendarSnapshot(db)).toEqual(before);
  return said;
}

export interface OutboxMessage { id: number; platform: string; operation: string; card_key: string | null; text?: string; card?: Card }

export async function outboxMessages(db: Db): Promise<OutboxMessage[]> {
  const rows = await db('outbox').orderBy('id').select<{ id: number; platform: string; operation: string; card_key: string | null; payload: { text?: string; card?: Card } }[]>('id', 'platform', 'operation', 'card_key', 'payload');
  return rows.map((row) => ({ id: row.id, platform: row.platform, operation: row.operation, card_key: row.card_key, ...row.payload }));
}

/** The full text of a card, facts and sections included, for `toContain` checks. */
export function cardText(card: Card | undefined): string {
  if (!card) return '';
  return [card.title, card.status, ...card.facts.map((f) => `${f.label}: ${f.value}`), ...card.sections.map((s) => `${s.heading ?? ''}\n${s.text}`)].join('\n');
}
