import type { Knex } from 'knex';

/**
 * A card's messages are looked up by key: its current state (the newest row, for Teams refresh and
 * vote answers), whether an earlier message for it is still undelivered (the outbox keeps a card's
 * messages in order), and whether a newer update is pending. Without this index each of those read
 * the whole outbox, which grows with every card ever sent: a cheap way to slow the bot down.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('create index outbox_card_key_idx on outbox (card_key, platform, id) where card_key is not null');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index outbox_card_key_idx');
}
