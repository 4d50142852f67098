import type { Knex } from 'knex';

/** The register of individuals (CONTRACT section 7), and what is kept of them after erasure. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table contacts (
      id bigint generated always as identity primary key,
      external_id text unique,
      email text not null,
      full_name text,
      phone text,
      address text,
      company text,
      is_customer boolean not null default false,
      is_subscriber boolean not null default false,
      first_collected_at timestamptz,
      last_successful_contact_at timestamptz,
      inaccurate boolean not null default false,
      legitimate_interest_ended_at timestamptz,
      legal_hold boolean not null default false,
      do_not_contact boolean not null default false,
      processing_restricted boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index contacts_email_idx on contacts (lower(email));
    -- The retention sweep reads these; partial indexes keep them small.
    create index contacts_r2_idx on contacts (first_collected_at)
      where not is_customer and not is_subscriber and not legal_hold;
    create index contacts_r3_idx on contacts (id) where inaccurate and not legal_hold;
    create index contacts_r4_idx on contacts (legitimate_interest_ended_at)
      where legitimate_interest_ended_at is not null and not legal_hold;

    -- What remains of an erased contact: ids and facts, never personal data.
    create table contact_tombstones (
      contact_id bigint primary key,
      external_id_hash text,
      reason text not null check (reason in ('R1', 'R2', 'R3', 'R4')),
      request_id bigint,
      purge_batch_id bigint,
      suppressed boolean not null default false,
      erased_at timestamptz not null default now()
    );

    -- Keyed hashes (HMAC-SHA256 with SUPPRESSION_PEPPER) of normalised emails, never the email.
    create table suppression_list (
      email_hmac text primary key,
      reason text not null,
      source_ref text,
      created_at timestamptz not null default now()
    );

    -- Committee decisions to keep a contact out of the deletion review (legal hold, dispute, ...).
    create table retention_exclusions (
      id bigint generated always as identity primary key,
      contact_id bigint not null references contacts (id) on delete cascade,
      reason text not null,
      excluded_by text not null,
      purge_batch_id bigint,
      created_at timestamptz not null default now()
    );
    create index retention_exclusions_contact_idx on retention_exclusions (contact_id);
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table retention_exclusions, suppression_list, contact_tombstones, contacts');
}
