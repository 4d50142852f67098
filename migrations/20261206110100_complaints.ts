import type { Knex } from 'knex';

/**
 * The complaints register (DPA 2018 s.164A). The complainant's contact details are kept like a
 * request subject's: the address and name in clear for the committee's reply, a keyed hash so an
 * erasure can find them, and both cleared (the hash kept) once they are erased.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table complaints (
      id bigint generated always as identity primary key,
      reference text not null unique,
      received_on date not null,
      received_via text not null check (received_via in ('web', 'email', 'phone', 'post', 'chat')),
      complainant_email text,
      complainant_name text,
      complainant_hmac text not null,
      masked_complainant text not null,
      summary text,
      about_request_id bigint references requests (id),
      about_breach_id bigint references breaches (id),
      ack_due_on date not null,
      acknowledged_on date,
      acknowledged_by text,
      outcome_due_on date not null,
      inquiries text,
      outcome text,
      outcome_on date,
      outcome_by text,
      status text not null default 'open' check (status in ('open', 'acknowledged', 'closed')),
      logged_by text not null,
      platform text not null,
      created_at timestamptz not null default now(),
      check (about_request_id is null or about_breach_id is null)
    );
    create index complaints_open_idx on complaints (ack_due_on) where status <> 'closed';
    create index complaints_hmac_idx on complaints (complainant_hmac);
    create index complaints_request_idx on complaints (about_request_id) where about_request_id is not null;
    create index complaints_breach_idx on complaints (about_breach_id) where about_breach_id is not null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table complaints');
}
