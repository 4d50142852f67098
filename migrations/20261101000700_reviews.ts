import type { Knex } from 'knex';

/** The yearly reviews: the Article 30 register of service providers and the privacy notice. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table processors (
      id bigint generated always as identity primary key,
      name text not null,
      purpose text not null,
      safeguards text,
      last_reviewed_on date,
      next_review_on date not null,
      created_by text not null,
      created_at timestamptz not null default now()
    );
    create unique index processors_name_idx on processors (lower(name));

    create table processor_reviews (
      id bigint generated always as identity primary key,
      processor_id bigint not null references processors (id) on delete cascade,
      reviewed_on date not null,
      reviewed_by text not null,
      note text,
      created_at timestamptz not null default now()
    );

    create table notice_reviews (
      id bigint generated always as identity primary key,
      version text not null,
      reviewed_on date not null,
      reviewed_by text not null,
      created_at timestamptz not null default now()
    );

    create table regulatory_changes (
      id bigint generated always as identity primary key,
      description text not null,
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      addressed_by_review_id bigint references notice_reviews (id)
    );
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table regulatory_changes, notice_reviews, processor_reviews, processors');
}
