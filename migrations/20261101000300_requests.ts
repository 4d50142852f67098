import type { Knex } from 'knex';

/** Data subject requests, their statutory clock pauses and identity checks. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    -- Race-free numbering of references (DSR-2026-0001, BR-2026-001): one upsert per number.
    create table reference_counters (
      kind text not null,
      year integer not null,
      last_value integer not null,
      primary key (kind, year)
    );

    create table requests (
      id bigint generated always as identity primary key,
      reference text not null unique,
      type text not null check (type in ('access', 'rectification', 'erasure', 'objection', 'restriction',
        'portability', 'withdraw-consent', 'do-not-contact')),
      subject_email text,
      subject_name text,
      subject_hmac text not null,
      contact_id bigint references contacts (id) on delete set null,
      received_via text not null check (received_via in ('email', 'phone', 'web', 'post', 'in-person')),
      agent_name text,
      controller text,
      received_on date not null,
      due_on date not null,
      paused_days integer not null default 0,
      extended boolean not null default false,
      extension_reason text,
      status text not null default 'received',
      status_reason text,
      possible_repeat_of bigint references requests (id),
      requested_by text not null,
      details jsonb not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      closed_at timestamptz
    );
    create index requests_open_due_idx on requests (due_on) where closed_at is null;
    create index requests_subject_idx on requests (subject_hmac, received_on);
    create index requests_contact_open_idx on requests (contact_id) where closed_at is null;

    create table request_pauses (
      id bigint generated always as identity primary key,
      request_id bigint not null references requests (id) on delete cascade,
      kind text not null check (kind in ('identity', 'authority', 'clarification', 'fee')),
      note text,
      paused_on date not null,
      resumed_on date,
      paused_by text not null,
      resumed_by text
    );
    -- At most one pause open per request.
    create unique index request_pauses_open_idx on request_pauses (request_id) where resumed_on is null;

    create table identity_checks (
      id bigint generated always as identity primary key,
      request_id bigint not null unique references requests (id) on delete cascade,
      status text not null default 'pending' check (status in ('pending', 'evidence-requested', 'approved', 'rejected')),
      evidence_note text,
      decided_at timestamptz,
      created_at timestamptz not null default now()
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table identity_checks, request_pauses, requests, reference_counters');
}
