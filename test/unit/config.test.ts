import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig, maskDatabaseUrl, parseConfig } from '../../src/config.js';
import { GovbotError } from '../../src/errors.js';

const cwd = '/srv/govbot';

function problem(env: Record<string, string>): string {
  try {
    parseConfig(env, cwd);
  } catch (error) {
    expect(error).toBeInstanceOf(GovbotError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('runs with no variables at all, on the documented defaults', () => {
    const config = parseConfig({}, cwd);
    expect(config).toMatchObject({
      databaseUrl: null, dataDir: '/srv/govbot/.data', host: '127.0.0.1', port: 3978,
      approvalQuorum: 2, identityQuorum: 1, retentionYears: 3, bankHolidayRegion: 'england-and-wales',
      timezone: 'Europe/London', suppressionPepper: null, scheduler: true, logLevel: 'info',
      committeeChairs: [],
    });
    expect(config.slack).toMatchObject({ botToken: null, apiUrl: 'https://slack.com/api/' });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/gov', DATA_DIR: '/var/lib/govbot', HOST: '0.0.0.0', PORT: '8080',
      SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_API_URL: 'http://127.0.0.1:9999/api',
      SLACK_COMMITTEE_CHANNEL: 'C0123456789', COMMITTEE_CHAIRS: 'slack:U1, teams:29:abc',
      APPROVAL_QUORUM: '3', IDENTITY_QUORUM: '2', RETENTION_YEARS: '6', BANK_HOLIDAY_REGION: 'scotland',
      TIMEZONE: 'UTC', SUPPRESSION_PEPPER: '0123456789abcdef', SCHEDULER: 'off', LOG_LEVEL: 'warn',
    }, cwd);
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u:p@db:5432/gov', dataDir: '/var/lib/govbot', host: '0.0.0.0', port: 8080,
      approvalQuorum: 3, identityQuorum: 2, retentionYears: 6, bankHolidayRegion: 'scotland', timezone: 'UTC',
      scheduler: false, logLevel: 'warn',
      committeeChairs: [{ platform: 'slack', id: 'U1' }, { platform: 'teams', id: '29:abc' }],
    });
    expect(config.slack.apiUrl).toBe('http://127.0.0.1:9999/api/');
  });

  it.each([
    [{ PORT: 'eighty' }, /^PORT must be a whole number \(got "eighty"\); for example PORT=3978$/],
    [{ PORT: '70000' }, /^PORT must be at most 65535/],
    [{ APPROVAL_QUORUM: '0' }, /^APPROVAL_QUORUM must be at least 1 \(got "0"\); for example APPROVAL_QUORUM=2$/],
    [{ BANK_HOLIDAY_REGION: 'wales' }, /^BANK_HOLIDAY_REGION must be one of england-and-wales, scotland, northern-ireland \(got "wales"\); for example/],
    [{ TIMEZONE: 'Mars/Olympus' }, /^TIMEZONE must be an IANA time zone \(got "Mars\/Olympus"\); for example TIMEZONE=Europe\/London$/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ URL/],
    [{ SCHEDULER: 'maybe' }, /^SCHEDULER must be on or off/],
    [{ COMMITTEE_CHAIRS: 'U123' }, /^COMMITTEE_CHAIRS has "U123", which is not slack:<user id> or teams:<user id>/],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, /^SLACK_SIGNING_SECRET is missing/],
    [{ SLACK_SIGNING_SECRET: 'abc' }, /^SLACK_BOT_TOKEN is missing/],
    [{ NODE_ENV: 'production' }, /^SUPPRESSION_PEPPER is required when NODE_ENV=production/],
  ])('refuses %o with one line naming the variable and a good value', (env, message) => {
    const text = problem(env);
    expect(text).toMatch(message);
    expect(text.split('\n')).toHaveLength(1);
  });

  it('never echoes a secret or a database password', () => {
    expect(problem({ SLACK_BOT_TOKEN: 'not-a-token' })).not.toContain('not-a-token');
    expect(problem({ SUPPRESSION_PEPPER: 'short-secret' })).not.toContain('short-secret');
    expect(problem({ DATABASE_URL: 'postgres://user:hunter2@' })).not.toContain('hunter2');
  });

  it('masks the whole of a database password, even one containing @ or :, in the start-up log', () => {
    for (const password of ['p@ss@word', 'a:b@c', 'hunter2', 'x%40y']) {
      const config = parseConfig({ LOG_LEVEL: 'silent', DATABASE_URL: `postgres://govbot:${password}@db.internal:5432/govbot` }, process.cwd());
      const line = describeConfig(config).join('\n');
      expect(line, password).toContain('postgres://govbot:…@db.internal:5432/govbot');
      expect(line, password).not.toContain(password.slice(1));
    }
    expect(maskDatabaseUrl('postgres://u:s3cr3t@ss@h/db')).toBe('postgres://u:…@h/db');
    expect(maskDatabaseUrl('not a url with p@ss')).not.toContain('p@ss');
  });

  it('reads METRICS_TOKEN and METRICS_PORT', () => {
    const config = parseConfig({ METRICS_TOKEN: '0123456789abcdef0123', METRICS_PORT: '9464' }, process.cwd());
    expect(config).toMatchObject({ metricsToken: '0123456789abcdef0123', metricsPort: 9464 });
    expect(problem({ METRICS_TOKEN: 'short' })).toMatch(/^METRICS_TOKEN must be at least 16 characters/);
    expect(problem({ METRICS_TOKEN: 'short' })).not.toContain('"short"');
  });

  it('reports every bad variable, one line each', () => {
    expect(problem({ PORT: 'x', LOG_LEVEL: 'loud' }).split('\n')).toHaveLength(2);
  });

  it('reads .env in the working directory, with the environment winning', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'govbot-env-'));
    fs.writeFileSync(path.join(dir, '.env'), 'PORT=4000\nAPPROVAL_QUORUM=3\n');
    const config = loadConfig({ APPROVAL_QUORUM: '4' }, dir);
    expect(config.port).toBe(4000);
    expect(config.approvalQuorum).toBe(4);
    fs.rmSync(dir, { recursive: true });
  });
});
