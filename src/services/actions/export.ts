import { addDays, dateInTimeZone } from '../../domain/dates.js';
import { normaliseEmail } from '../../domain/email.js';
import { supplementaryInformation } from '../../domain/notice-facts.js';
import { recordExportFile } from '../../register/export-files.js';
import { listProcessors } from '../../register/processors.js';
import type { RequestRow } from '../../register/requests.js';
import { contactRowsOfSubject, exclusionsForContacts, requestsOfSubject, type RegisterRow } from '../../register/subject-data.js';
import { noticeFacts } from '../notice-facts.js';
import { csvLine, exportsDirectory, exportValue, writeExportFile } from './export-file.js';
import type { ActionExecutor } from './executor.js';

/**
 * Access (JSON) and portability (CSV). The data is matched when the action runs, not only at
 * intake: the rows the committee approved and every row with the subject's email (imported since,
 * or spelt differently), with their CRM ids; the subject's own requests; and, for access, the
 * supplementary information of Art 15 from the notice's facts. The file goes to DATA_DIR/exports
 * for the committee to send to the individual; only its name, SHA-256 and deletion date reach chat.
 */
export const exportData: ActionExecutor = async (trx, env, { action, request, contactIds, now }) => {
  const format = action.params.format;
  if (format !== 'json' && format !== 'csv') throw new Error(`action ${action.id} has malformed params: format must be json or csv`);
  const email = request.subject_email === null ? null : normaliseEmail(request.subject_email);
  const contacts = await contactRowsOfSubject(trx, contactIds, email);
  const ids = contacts.map((c) => Number(c.id));
  const content = format === 'json'
    ? accessJson(request, now, contacts, await exclusionsForContacts(trx, ids), await requestsOfSubject(trx, request.subject_hmac),
      supplementaryInformation(noticeFacts(), await listProcessors(trx)))
    : portabilityCsv(request, contacts);
  const file = await writeExportFile(exportsDirectory(env.config.dataDir), `${request.reference}.${format}`, content);
  const deleteAfter = new Date(now.getTime() + env.config.exportRetentionDays * 86_400_000);
  await recordExportFile(trx, { name: file.name, requestId: request.id, subjectHmac: request.subject_hmac, sha256: file.sha256, writtenAt: now, deleteAfter });
  const deletionDay = addDays(dateInTimeZone(now, env.config.timezone), env.config.exportRetentionDays);
  return {
    summary: `Export ${file.name} written for the individual (sha256 ${file.sha256}); nothing was sent in chat. Send it to the individual, never to an agent. It will be deleted on ${deletionDay} (EXPORT_RETENTION_DAYS).`,
    facts: {
      export_file: file.name, sha256: file.sha256, bytes: file.bytes, format, contact_ids: ids, contact_count: contacts.length,
      matched_since_intake_count: ids.filter((id) => !contactIds.includes(id)).length, delete_on: deletionDay,
    },
  };
};

function clean(rows: RegisterRow[]): Record<string, unknown>[] {
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'decisions' ? v : exportValue(v)])));
}

function accessJson(request: RequestRow, now: Date, contacts: RegisterRow[], exclusions: RegisterRow[], requests: RegisterRow[], supplementary: Record<string, unknown>): string {
  return `${JSON.stringify({
    reference: request.reference,
    generated_at: now.toISOString(),
    about: 'The personal data the company holds about you in its register, its records of your requests, and the information about its processing that UK GDPR Article 15 entitles you to.',
    register: {
      contacts: clean(contacts),
      external_ids: contacts.map((c) => c.external_id).filter((id) => id !== null && id !== undefined),
      retention_exclusions: clean(exclusions),
    },
    requests: clean(requests),
    supplementary_information: supplementary,
  }, null, 2)}\n`;
}

/**
 * One table, for reuse elsewhere: a row per register record with every column, then the record
 * of the subject this request holds (email and name as given), marked by the `source` column.
 * Cells are formula-safe (csvLine).
 */
function portabilityCsv(request: RequestRow, contacts: RegisterRow[]): string {
  const columns = contacts[0] ? Object.keys(contacts[0]) : ['id', 'email', 'full_name'];
  const lines = [csvLine(['source', ...columns])];
  for (const contact of contacts) lines.push(csvLine(['register', ...columns.map((c) => exportValue(contact[c]))]));
  const own: Record<string, unknown> = { email: request.subject_email, full_name: request.subject_name };
  lines.push(csvLine([`request ${request.reference}`, ...columns.map((c) => exportValue(own[c]))]));
  return `${lines.join('\r\n')}\r\n`;
}
