import fs from 'node:fs';
import type { Config } from '../config.js';
import { GovbotError } from '../errors.js';
import { createLogger } from '../logger.js';
import { listChairs } from '../register/committee.js';
import { openDatabase, type Db } from '../register/database.js';
import { pendingMigrations } from '../register/migrations.js';
import { outboxCounts } from '../register/metrics.js';
import { waitingMessages } from '../register/outbox.js';
import { committeeChannel } from '../services/committee-channel.js';
import { pepperFilePath } from '../services/suppression-pepper.js';
import { checkSlackToken } from '../slack/credentials-check.js';
import { describeTeams, teamsMode } from '../teams/teams-mode.js';
import type { CliIo } from './io.js';

type Finding = { ok: boolean; area: string; detail: string };

/**
 * `govbot doctor`: checks what an operator can get wrong and says what to fix, one line each.
 * It only reads: no migration is applied and nothing is written. Exit 0 when all is well.
 */
export async function doctorCommand(_args: string[], io: CliIo): Promise<number> {
  let config: Config;
  try {
    config = io.loadConfig();
  } catch (error) {
    if (!(error instanceof GovbotError)) throw error;
    for (const line of error.message.split('\n')) io.out(`FIX  configuration: ${line}`);
    return 1;
  }
  const findings: Finding[] = [{ ok: true, area: 'configuration', detail: 'every variable is valid' }];
  findings.push(checkPepper(config));
  let database;
  try {
    database = await openDatabase(config, () => undefined);
  } catch (error) {
    findings.push({ ok: false, area: 'database', detail: (error as Error).message });
    return report(io, findings);
  }
  try {
    findings.push({ ok: true, area: 'database', detail: config.databaseUrl ? 'DATABASE_URL answers' : `embedded PostgreSQL in ${config.dataDir} answers` });
    findings.push(...await checkRegister(database.db, config));
    findings.push(...await checkPlatforms(database.db, config));
  } finally {
    await database.close();
  }
  return report(io, findings);
}

function checkPepper(config: Config): Finding {
  if (config.suppressionPepper) return { ok: true, area: 'suppression', detail: 'SUPPRESSION_PEPPER is set' };
  const file = pepperFilePath(config.dataDir);
  return fs.existsSync(file)
    ? { ok: true, area: 'suppression', detail: `pepper kept in ${file}: back it up with the database` }
    : { ok: true, area: 'suppression', detail: `no pepper yet: one is generated into ${file} at first start (set SUPPRESSION_PEPPER in production)` };
}

async function checkRegister(db: Db, config: Config): Promise<Finding[]> {
  const findings: Finding[] = [];
  const pending = await pendingMigrations(db);
  findings.push(pending.length === 0
    ? { ok: true, area: 'migrations', detail: 'current' }
    : { ok: false, area: 'migrations', detail: `${pending.length} pending (${pending.join(', ')}): run govbot migrate, or start the service` });
  const chairs = await listChairs(db).catch(() => []);
  findings.push(chairs.length > 0 || config.committeeChairs.length > 0
    ? { ok: true, area: 'committee', detail: `${Math.max(chairs.length, config.committeeChairs.length)} chair(s)` }
    : { ok: false, area: 'committee', detail: 'no chair: set COMMITTEE_CHAIRS=slack:U… (or teams:…) so someone can run /gov channel set and add members' });
  const outbox = await outboxCounts(db).catch(() => null);
  if (outbox && outbox.failing > 0) {
    const last = await db('outbox').where({ status: 'pending' }).where('attempts', '>', 0).orderBy('id').first<{ last_error: string | null }>('last_error');
    findings.push({ ok: false, area: 'outbox', detail: `${outbox.failing} message(s) failing to deliver, the oldest ${Math.round(outbox.oldestPendingSeconds)} s old: ${last?.last_error ?? 'unknown error'}` });
  }
  // Waiting on set-up is not failing, but nothing will arrive until someone acts: name it.
  const waiting = await waitingMessages(db).catch(() => []);
  for (const group of waiting) {
    findings.push({ ok: false, area: 'outbox', detail: `${group.count} message(s) cannot be delivered, the oldest queued ${group.oldest.toISOString()}: ${group.reason}` });
  }
  if (outbox && outbox.failing === 0 && waiting.length === 0) {
    findings.push({ ok: true, area: 'outbox', detail: `${outbox.pending} message(s) waiting, none failing` });
  }
  return findings;
}

async function checkPlatforms(db: Db, config: Config): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (config.slack.botToken) {
    const slack = await checkSlackToken({ token: config.slack.botToken, apiUrl: config.slack.apiUrl, logger: createLogger({ logLevel: 'silent' }) });
    findings.push({ ok: slack.ok, area: 'slack', detail: slack.ok ? `token accepted: ${slack.detail}` : `${slack.detail} (check SLACK_BOT_TOKEN and SLACK_API_URL)` });
    const channel = await committeeChannel(db, config, 'slack');
    const elsewhere = teamsMode(config).kind !== 'off' && await committeeChannel(db, config, 'teams');
    findings.push(channel
      ? { ok: true, area: 'slack channel', detail: `committee cards go to ${channel.channel}` }
      : elsewhere
        ? { ok: true, area: 'slack channel', detail: 'none: committee cards go to the Teams committee channel' }
        : { ok: false, area: 'slack channel', detail: 'no committee channel: a chair should run /gov channel set in it, or set SLACK_COMMITTEE_CHANNEL' });
  } else {
    findings.push({ ok: true, area: 'slack', detail: 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)' });
  }
  const teamsChannel = await committeeChannel(db, config, 'teams');
  if (teamsMode(config).kind === 'off') {
    findings.push({ ok: true, area: 'teams', detail: describeTeams(config).replace(/^teams: /, '') });
  } else if (config.teams.appId) {
    findings.push({ ok: true, area: 'teams', detail: `app id ${config.teams.appId} (${config.teams.appType}); credentials are checked by Azure at the first message` });
  } else {
    findings.push({ ok: true, area: 'teams', detail: 'local mode: unauthenticated and loopback only (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD for a real tenant)' });
  }
  if (teamsMode(config).kind !== 'off' && !teamsChannel && !await committeeChannel(db, config, 'slack')) findings.push({ ok: false, area: 'teams channel', detail: 'no committee channel: a chair should send "gov channel set" to govbot in it' });
  return findings;
}

function report(io: CliIo, findings: readonly Finding[]): number {
  for (const f of findings) io.out(`${f.ok ? 'ok  ' : 'FIX '} ${f.area}: ${f.detail}`);
  const problems = findings.filter((f) => !f.ok).length;
  io.out(problems === 0 ? 'all checks passed' : `${problems} thing(s) to fix`);
  return problems === 0 ? 0 : 1;
}
