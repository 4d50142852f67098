import type { Knex } from 'knex';

/**
 * What the register keeps about a subject outside the contacts table: the free text on their
 * requests (the committee's notes and reasons, the agent's name), which may hold personal data
 * about them. After an erasure it goes (DESIGN §1 "Nothing left behind"); ids, dates and statuses
 * stay, as the record that the request was handled.
 */

type Trx = Knex.Transaction;

/** What replaces a removed reason, so a card still reads as a sentence. */
export const REMOVED_TEXT = 'removed after erasure';

export interface ScrubbedText {
  readonly requests: number;
  readonly pauseNotes: number;
  readonly identityNotes: number;
  readonly decisionReasons: number;
  readonly voteReasons: number;
}

/**
 * Scrubs the free text on the subject's requests (by keyed hash): every closed one, and `alsoRequestId`
 * (the erasure being carried out). Open ones keep theirs until they are answered.
 */
export async function scrubSubjectText(trx: Trx, subjectHmacs: readonly string[], alsoRequestId: number | null): Promise<ScrubbedText> {
  if (subjectHmacs.length === 0) return { requests: 0, pauseNotes: 0, identityNotes: 0, decisionReasons: 0, voteReasons: 0 };
  const result = await trx.raw<{ rows: ScrubbedText[] }>(`
    with targets as (
      select id from requests where subject_hmac = any(:hmacs::text[]) and (closed_at is not null or id = :also)),
    requests_scrubbed as (
      update requests r set agent_name = null, status_reason = case when r.status_reason is null then null else :removed end,
        extension_reason = case when r.extension_reason is null then null else :removed end,
        details = r.details - 'corrections', updated_at = now()
      from targets t where r.id = t.id
        and (r.agent_name is not null or r.status_reason is not null or r.extension_reason is not null or (r.details -> 'corrections') is not null)
      returning r.id),
    pauses as (update request_pauses p set note = null from targets t where p.request_id = t.id and p.note is not null returning p.id),
    identities as (update identity_checks i set evidence_note = null from targets t where i.request_id = t.id and i.evidence_note is not null returning i.id),
    decisions as (update proposals p set decision_reason = :removed from targets t
      where p.request_id = t.id and p.decision_reason is not null and p.decision_reason <> :removed returning p.id),
    votes_scrubbed as (update votes v set reason = :removed from proposals p, targets t
      where v.proposal_id = p.id and p.request_id = t.id and v.reason is not null and v.reason <> :removed returning v.id)
    select (select count(*) from requests_scrubbed)::int as "requests", (select count(*) from pauses)::int as "pauseNotes",
      (select count(*) from identities)::int as "identityNotes", (select count(*) from decisions)::int as "decisionReasons",
      (select count(*) from votes_scrubbed)::int as "voteReasons"`,
  { hmacs: [...subjectHmacs], also: alsoRequestId ?? 0, removed: REMOVED_TEXT });
  return result.rows[0]!;
}
