import { contactRowsByIds, exclusionsForContacts, requestsOfSubject, type RegisterRow } from '../../register/subject-data.js';
import type { RequestRow } from '../../register/requests.js';
import { csvLine, exportsDirectory, exportValue, writeExportFile } from './export-file.js';
import type { ActionExecutor } from './executor.js';

/**
 * Access (JSON) and portability (CSV): everything the register holds about the matched contacts,
 * every column, plus what govbot's own request records hold about the subject. The file goes to
 * DATA_DIR/exports for the committee to send to the individual; only its name and SHA-256 reach chat.
 */
export const exportData: ActionExecutor = async (trx, env, { action, request, contactIds, now }) => {
  const format = action.params.format;
  if (format !== 'json' && format !== 'csv') throw new Error(`action ${action.id} has malformed params: format must be json or csv`);
  const contacts = await contactRowsByIds(trx, contactIds);
  const content = format === 'json'
    ? accessJson(request, now, contacts, await exclusionsForContacts(trx, contactIds), await requestsOfSubject(trx, request.subject_hmac))
    : portabilityCsv(request, contacts);
  const file = await writeExportFile(exportsDirectory(env.config.dataDir), `${request.reference}.${format}`, content);
  return {
    summary: `Export ${file.name} written for the individual (sha256 ${file.sha256}); nothing was sent in chat. Send it to the individual, never to an agent.`,
    facts: { export_file: file.name, sha256: file.sha256, bytes: file.bytes, format, contact_ids: contacts.map((c) => Number(c.id)), contact_count: contacts.length },
  };
};

function accessJson(request: RequestRow, now: Date, contacts: RegisterRow[], exclusions: RegisterRow[], requests: RegisterRow[]): string {
  const clean = (rows: RegisterRow[]) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, exportValue(v)])));
  return `${JSON.stringify({
    reference: request.reference,
    generated_at: now.toISOString(),
    about: 'The personal data the company holds about you in its register, and its records of your requests.',
    register: { contacts: clean(contacts), retention_exclusions: clean(exclusions) },
    requests: clean(requests),
  }, null, 2)}\n`;
}

/**
 * One table, for reuse elsewhere: a row per register record with every column, then the record
 * of the subject this request holds (email and name as given), marked by the `source` column.
 */
function portabilityCsv(request: RequestRow, contacts: RegisterRow[]): string {
  const columns = contacts[0] ? Object.keys(contacts[0]) : ['id', 'email', 'full_name'];
  const lines = [csvLine(['source', ...columns])];
  for (const contact of contacts) lines.push(csvLine(['register', ...columns.map((c) => exportValue(contact[c]))]));
  const own: Record<string, unknown> = { email: request.subject_email, full_name: request.subject_name };
  lines.push(csvLine([`request ${request.reference}`, ...columns.map((c) => exportValue(own[c]))]));
  return `${lines.join('\r\n')}\r\n`;
}
