import { tally } from '../../domain/approvals.js';
import { formatDateWithWeekday } from '../../domain/dates.js';
import { maskEmail } from '../../domain/masking.js';
import { isPurgeSkip, PURGE_BATCH_STATUSES, PURGE_SKIPS } from '../../domain/purge.js';
import { formatDuration, sumOf, tallyPurge, type PurgeTally } from '../../domain/purge-tally.js';
import { RETENTION_EXCLUSIONS, RETENTION_REASONS, retentionCutoff, type RetentionExclusion, type RetentionReason } from '../../domain/retention.js';
import { approveButton, rejectButton, type Card, type CardSection, type Fact } from '../card.js';
import { mentionList, userText } from '../mention.js';
import type { PurgeCardView as PurgeView } from './purge-views.js';

/**
 * The quarterly deletion card: counts by reason, what was kept back and why, a masked sample, the
 * candidate list by file name and SHA-256 (never the list itself), the votes, and the buttons
 * while it awaits the committee. Re-rendered from the register after every change.
 */
const REASONS = Object.keys(RETENTION_REASONS) as RetentionReason[];
const n = (value: number) => value.toLocaleString('en-GB');

export function renderPurgeCard(view: PurgeView): Card {
  const { batch } = view;
  const counts = tallyPurge(view.counts);
  const toDelete = batch.status === 'done' ? sumOf(counts.deleted) : sumOf(counts.listed);
  const facts: Fact[] = [
    { label: 'As of', value: formatDateWithWeekday(batch.as_of) },
    { label: 'Rules', value: `R1–R4 of the privacy notice; retention period ${view.retentionYears} years (held since before ${retentionCutoff(batch.as_of, view.retentionYears)})` },
    { label: batch.status === 'done' ? 'Deleted' : 'To delete', value: `${n(toDelete)} contact${toDelete === 1 ? '' : 's'}` },
    ...(batch.status === 'proposed' ? [{ label: 'Do not contact', value: doNotContactLine(view.doNotContactListed) }] : []),
    ...(batch.status === 'done' ? [{ label: 'Do not contact', value: doNotContactLine(counts.doNotContact) }] : []),
    { label: 'Kept back', value: keptBackLine(counts) },
    { label: 'Candidate list', value: fileLine(view) },
  ];
  const sections: CardSection[] = [{ heading: 'By reason', text: reasonLines(batch.status === 'done' ? counts.deleted : counts.listed) }];
  if (view.sample.length > 0) {
    sections.push({ heading: 'Sample (masked)', text: view.sample.map((s) => `• #${s.contactId} ${maskEmail(s.email)} (${s.reason})`).join('\n') });
  }
  const decision = proposalSection(view);
  if (decision) sections.push(decision);
  const progress = progressSection(batch.status, counts);
  if (progress) sections.push(progress);
  return {
    key: `purge:${batch.id}`,
    reference: batch.reference,
    title: `Quarterly deletion review ${batch.reference}`,
    status: PURGE_BATCH_STATUSES[batch.status],
    facts,
    sections,
    summary: `${batch.reference}: quarterly deletion review, ${PURGE_BATCH_STATUSES[batch.status]}, ${n(toDelete)} contact(s) ${batch.status === 'done' ? 'deleted' : 'to delete'}`,
  };
}

/** The completion report that follows the purge: deleted, skipped with reasons, duration. */
export function renderPurgeReport(view: PurgeView): Card {
  const { batch } = view;
  const counts = tallyPurge(view.counts);
  const deleted = sumOf(counts.deleted);
  const skipped = sumOf(counts.skipped);
  const duration = batch.started_at && batch.finished_at ? formatDuration(batch.finished_at.getTime() - batch.started_at.getTime()) : 'unknown';
  const facts: Fact[] = [
    { label: 'Deleted', value: `${n(deleted)} contact${deleted === 1 ? '' : 's'}, each leaving a tombstone without personal data` },
    { label: 'Skipped', value: skipped === 0 ? 'none' : `${n(skipped)}: ${noteList(counts.skipped, skipLabel)}` },
    { label: 'Do not contact', value: doNotContactLine(counts.doNotContact) },
    { label: 'Suppressed', value: `${n(counts.suppressed - counts.doNotContact)} more who asked for erasure (R1), as keyed hashes of their email and phone` },
    { label: 'Duration', value: duration },
    { label: 'Finished', value: batch.finished_at ? batch.finished_at.toISOString().slice(0, 10) : 'not yet' },
  ];
  return {
    key: `purge-report:${batch.id}`,
    reference: batch.reference,
    title: `Purge ${batch.reference} completed`,
    status: 'done',
    facts,
    sections: [{ heading: 'Deleted by reason', text: reasonLines(counts.deleted) }, recipientsSection(view)],
    summary: `${batch.reference} completed: ${n(deleted)} deleted, ${n(skipped)} skipped, in ${duration}`,
  };
}

/**
 * Art 19: each recipient of contact data must be told of the deletion (and delete its copies): how
 * many contacts, the file of CRM ids it must act on (by name and SHA-256, never the ids), and who
 * recorded it as told. The list of recipients is the Article 30 register's.
 */
function recipientsSection({ batch, recipients }: PurgeView): CardSection {
  const heading = 'Recipients to tell (Art 19)';
  if (recipients.length === 0) return { heading, text: 'None: no provider on the register of service providers receives contact data.' };
  const lines = recipients.map((r) => {
    const unnamed = r.owed_count - r.listed_count;
    const file = r.file_name === null ? 'no CRM ids to list' : `${r.file_name} (${n(r.listed_count)} CRM ids, sha256 ${r.file_sha256 ?? 'unknown'})`;
    const state = r.told_at === null ? 'owed' : `told ${r.told_at.toISOString().slice(0, 10)} by ${mentionList([r.told_by ?? 'unknown'])}`;
    return `• ${userText(r.processor)}: ${n(r.owed_count)} contact${r.owed_count === 1 ? '' : 's'} deleted, ${state}; ${file}${unnamed > 0 ? `; ${n(unnamed)} had no CRM id` : ''}`;
  });
  const owed = recipients.filter((r) => r.told_at === null).length;
  const hint = owed === 0 ? 'Every recipient has been told.' : `Tell each, then record it: /dsr recipients ${batch.reference} told <provider> (its file is then removed).`;
  return { heading, text: [...lines, hint].join('\n') };
}

function reasonLines(byReason: Readonly<Record<string, number>>): string {
  const lines = REASONS.filter((r) => (byReason[r] ?? 0) > 0).map((r) => `• ${r} ${RETENTION_REASONS[r]}: ${n(byReason[r] ?? 0)}`);
  return lines.length > 0 ? lines.join('\n') : 'No contact is due for deletion.';
}

function doNotContactLine(count: number): string {
  if (count === 0) return 'none';
  return `${n(count)} tagged "Do not contact": only their suppression record remains (keyed hashes of email and phone, the tag, the reason, this reference)`;
}

function keptBackLine(counts: PurgeTally): string {
  return sumOf(counts.keptBack) === 0 ? 'none' : noteList(counts.keptBack, (note) => RETENTION_EXCLUSIONS[note as RetentionExclusion] ?? note);
}

function noteList(byNote: Readonly<Record<string, number>>, label: (note: string) => string): string {
  return Object.entries(byNote).sort(([a], [b]) => a.localeCompare(b)).map(([note, count]) => `${label(note)} ${n(count)}`).join(', ');
}

function skipLabel(note: string): string {
  return isPurgeSkip(note) ? PURGE_SKIPS[note] : note;
}

function fileLine({ batch }: PurgeView): string {
  if (batch.candidate_file === null) return 'none';
  if (['done', 'rejected', 'superseded'].includes(batch.status)) return `${batch.candidate_file} (removed once decided and carried out)`;
  return `${batch.candidate_file} in the exports folder (sha256 ${batch.candidate_sha256 ?? 'unknown'}); exclude one with /gov purge exclude <contact> <reason>`;
}

function proposalSection(view: PurgeView): CardSection | null {
  const { proposal } = view;
  if (!proposal) return null;
  const count = tally(view.votes.map((v) => ({ memberId: v.member, decision: v.decision })), proposal.quorum);
  if (proposal.status === 'open') {
    return {
      heading: 'Proposed deletion',
      text: `Delete the contacts above, keep a tombstone without personal data for each, and add suppression entries for R1 and do-not-contact. ${count.summary} so far (${mentionList(count.approvals)}); ${count.remaining} more needed.`,
      buttons: [approveButton(proposal.id, 'purge'), rejectButton(proposal.id, 'purge')],
    };
  }
  if (proposal.status === 'approved') return { heading: 'Approved', text: `Approved by ${mentionList(count.approvals)}.` };
  if (proposal.status === 'rejected') return { heading: 'Rejected', text: `Rejected by ${mentionList(count.rejections)}: ${userText(proposal.decision_reason)}` };
  return { heading: 'No longer open', text: `${proposal.status}${proposal.decision_reason ? `: ${userText(proposal.decision_reason)}` : ''}` };
}

function progressSection(status: string, counts: PurgeTally): CardSection | null {
  const done = sumOf(counts.deleted);
  const skipped = sumOf(counts.skipped);
  if (status === 'running') return { heading: 'Progress', text: `${n(done)} deleted, ${n(skipped)} skipped, ${n(sumOf(counts.pending))} to go.` };
  if (status === 'done') return { heading: 'Done', text: `${n(done)} deleted; ${skipped === 0 ? 'none skipped' : `skipped ${noteList(counts.skipped, skipLabel)}`}. The report follows.` };
  return null;
}
