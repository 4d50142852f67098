import type { Knex } from 'knex';

/**
 * Every export file written for an individual (access, portability): by name, the request it
 * answered, the subject's keyed hash (so an erasure finds all of theirs), and when it is to be
 * deleted (EXPORT_RETENTION_DAYS after writing). The row outlives the file, as proof of both.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table export_files (
      name text primary key,
      request_id bigint references requests (id) on delete set null,
      subject_hmac text not null,
      sha256 text not null,
      written_at timestamptz not null,
      delete_after timestamptz not null,
      deleted_at timestamptz,
      deleted_because text check (deleted_because in ('expired', 'erasure'))
    );
    create index export_files_subject_idx on export_files (subject_hmac) where deleted_at is null;
    create index export_files_due_idx on export_files (delete_after) where deleted_at is null;
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop table export_files');
}
