import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import dotenv from 'dotenv';
import { z } from 'zod';
import { normaliseAddress } from './domain/client-address.js';
import { isValidTimeZone } from './domain/dates.js';
import { REGIONS, type Region } from './domain/holidays.js';
import { GovbotError } from './errors.js';
import { describeTeams, teamsMode } from './teams/teams-mode.js';

/**
 * The only reader of the environment. Every variable of the contract is validated here once, at
 * start-up, into a frozen Config; everything else receives the Config (or a part of it).
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface MemberId { platform: 'slack' | 'teams'; id: string }

export interface Config {
  readonly nodeEnv: string;
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly slack: {
    readonly botToken: string | null;
    readonly signingSecret: string | null;
    readonly appToken: string | null;
    readonly apiUrl: string;
    readonly committeeChannel: string | null;
  };
  readonly teams: {
    readonly appId: string | null;
    readonly appPassword: string | null;
    readonly tenantId: string | null;
    readonly appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  };
  readonly committeeChairs: readonly MemberId[];
  readonly approvalQuorum: number;
  readonly identityQuorum: number;
  readonly retentionYears: number;
  /** Access and portability export files are deleted this many days after they are written. */
  readonly exportRetentionDays: number;
  readonly bankHolidayRegion: Region;
  readonly timezone: string;
  /** Working days to pass a processor-route request to its controller (Art 28(3)(e)). */
  readonly forwardWithinDays: number;
  readonly suppressionPepper: string | null;
  readonly scheduler: boolean;
  /** Days after receipt by which a complainant should be told the outcome (the committee's target). */
  readonly complaintResponseDays: number;
  /** The company's name as the public forms show it. */
  readonly companyName: string;
  /** Whether the public request and complaint forms are served. */
  readonly publicForms: boolean;
  /** Addresses of the reverse proxies in front of the service: only their X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  /** The service's public https address (no trailing slash), for images in chat; null when unset. */
  readonly publicUrl: string | null;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Null: pretty on a terminal, JSON lines otherwise (decided by the logger). */
  readonly logFormat: LogFormat | null;
  /** /metrics wants this as a Bearer token when set. */
  readonly metricsToken: string | null;
  /** /metrics on its own listener (on HOST) instead of the main one. */
  readonly metricsPort: number | null;
}

/** Each variable: its schema, and a good value to show when the given one is bad. */
const optional = z.string().trim().min(1).optional();
const wholeNumber = (min: number, max: number) =>
  z.string().trim().regex(/^\d+$/, 'must be a whole number').transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const variables = {
  NODE_ENV: { schema: z.string().default('development'), example: 'production' },
  DATABASE_URL: {
    schema: z.string().trim().optional().refine((value) => value === undefined || value === '' || isPostgresUrl(value),
      'must be a postgres:// URL'),
    example: 'postgres://govbot:PASSWORD@db.internal:5432/govbot',
  },
  DATA_DIR: { schema: z.string().trim().min(1).default('./.data'), example: '/var/lib/govbot' },
  HOST: { schema: z.string().trim().min(1).default('127.0.0.1'), example: '0.0.0.0' },
  PORT: { schema: wholeNumber(0, 65535).default(3978), example: '3978' },
  SLACK_BOT_TOKEN: { schema: optional.refine((v) => v === undefined || v.startsWith('xoxb-'), 'must be a bot token starting xoxb-'), example: 'xoxb-1234-5678-abcd' },
  SLACK_SIGNING_SECRET: { schema: optional, example: '8f742231b10e8888abcd99yyyzzz85a5' },
  SLACK_APP_TOKEN: { schema: optional.refine((v) => v === undefined || v.startsWith('xapp-'), 'must be an app-level token starting xapp-'), example: 'xapp-1-A111-222-abcd' },
  SLACK_API_URL: { schema: z.string().trim().default('https://slack.com/api/').refine(isHttpUrl, 'must be an http(s) URL'), example: 'https://slack.com/api/' },
  SLACK_COMMITTEE_CHANNEL: { schema: optional.refine((v) => v === undefined || /^[CG][A-Z0-9]{6,}$/.test(v), 'must be a Slack channel id'), example: 'C0123456789' },
  MICROSOFT_APP_ID: { schema: optional, example: '00000000-0000-0000-0000-000000000000' },
  MICROSOFT_APP_PASSWORD: { schema: optional, example: 'the client secret of the bot registration' },
  MICROSOFT_APP_TENANT_ID: { schema: optional, example: '00000000-0000-0000-0000-000000000000' },
  // SingleTenant by default: a bot for one company's committee has no business in other tenants.
  MICROSOFT_APP_TYPE: { schema: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'), example: 'SingleTenant' },
  COMMITTEE_CHAIRS: { schema: z.string().trim().default('').transform((v, ctx) => parseChairs(v, ctx)), example: 'slack:U0123ABCD,teams:29:1abc' },
  APPROVAL_QUORUM: { schema: wholeNumber(1, 20).default(2), example: '2' },
  IDENTITY_QUORUM: { schema: wholeNumber(1, 20).default(1), example: '1' },
  RETENTION_YEARS: { schema: wholeNumber(1, 100).default(3), example: '3' },
  EXPORT_RETENTION_DAYS: { schema: wholeNumber(1, 365).default(30), example: '30' },
  BANK_HOLIDAY_REGION: { schema: z.enum(REGIONS as [Region, ...Region[]], { error: `must be one of ${REGIONS.join(', ')}` }).default('england-and-wales'), example: 'scotland' },
  TIMEZONE: { schema: z.string().trim().default('Europe/London').refine(isValidTimeZone, 'must be an IANA time zone'), example: 'Europe/London' },
  FORWARD_WITHIN_DAYS: { schema: wholeNumber(0, 30).default(2), example: '2' },
  SUPPRESSION_PEPPER: { schema: z.string().min(16, 'must be at least 16 characters').optional(), example: 'a long random string, e.g. from: openssl rand -hex 32' },
  SCHEDULER: { schema: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'), example: 'off' },
  COMPLAINT_RESPONSE_DAYS: { schema: wholeNumber(1, 365).default(30), example: '30' },
  COMPANY_NAME: { schema: z.string().trim().min(1).max(100, 'must be at most 100 characters').default('the company'), example: 'Aiimi' },
  PUBLIC_FORMS: { schema: z.enum(['on', 'off'], { error: 'must be on or off' }).default('on'), example: 'off' },
  TRUSTED_PROXY: {
    schema: z.string().trim().default('').transform((v, ctx) => parseProxies(v, ctx)),
    example: '10.0.0.5 (the address your reverse proxy connects from; several separated by commas)',
  },
  METRICS_TOKEN: { schema: z.string().trim().min(16, 'must be at least 16 characters').optional(), example: 'a long random string, e.g. from: openssl rand -hex 32' },
  METRICS_PORT: { schema: wholeNumber(1, 65535).optional(), example: '9464' },
  PUBLIC_URL: { schema: optional.refine((v) => v === undefined || /^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(v), 'must be the https address govbot is reached at, with no query'), example: 'https://govbot.example.com' },
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'), example: 'info' },
  LOG_FORMAT: { schema: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).optional(), example: 'json' },
} satisfies Record<string, { schema: z.ZodType; example: string }>;

export type Environment = Record<string, string | undefined>;

/** Reads `.env` in `cwd` (the real environment wins) and validates everything. */
export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): Config {
  const file = path.join(cwd, '.env');
  const fromFile = fs.existsSync(file) ? dotenv.parse(fs.readFileSync(file)) : {};
  return parseConfig({ ...fromFile, ...env }, cwd);
}

export function parseConfig(env: Environment, cwd: string): Config {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, { schema, example }] of Object.entries(variables)) {
    const raw = env[name] === '' ? undefined : env[name];
    const result = (schema as z.ZodType).safeParse(raw);
    if (result.success) values[name] = result.data;
    else problems.push(`${name} ${result.error.issues[0]?.message ?? 'is invalid'}${raw === undefined ? '' : ` (got "${redact(name, raw)}")`}; for example ${name}=${example}`);
  }
  const v = values as { [K in keyof typeof variables]: z.output<(typeof variables)[K]['schema']> };
  if (problems.length === 0) problems.push(...crossChecks(v));
  if (problems.length > 0) throw new GovbotError('CONFIG_INVALID', problems.join('\n'));

  return Object.freeze({
    nodeEnv: v.NODE_ENV,
    databaseUrl: v.DATABASE_URL ? v.DATABASE_URL : null,
    dataDir: path.resolve(cwd, v.DATA_DIR),
    host: v.HOST,
    port: v.PORT,
    slack: Object.freeze({
      botToken: v.SLACK_BOT_TOKEN ?? null,
      signingSecret: v.SLACK_SIGNING_SECRET ?? null,
      appToken: v.SLACK_APP_TOKEN ?? null,
      apiUrl: v.SLACK_API_URL.endsWith('/') ? v.SLACK_API_URL : `${v.SLACK_API_URL}/`,
      committeeChannel: v.SLACK_COMMITTEE_CHANNEL ?? null,
    }),
    teams: Object.freeze({
      appId: v.MICROSOFT_APP_ID ?? null,
      appPassword: v.MICROSOFT_APP_PASSWORD ?? null,
      tenantId: v.MICROSOFT_APP_TENANT_ID ?? null,
      appType: v.MICROSOFT_APP_TYPE,
    }),
    committeeChairs: Object.freeze(v.COMMITTEE_CHAIRS),
    approvalQuorum: v.APPROVAL_QUORUM,
    identityQuorum: v.IDENTITY_QUORUM,
    retentionYears: v.RETENTION_YEARS,
    exportRetentionDays: v.EXPORT_RETENTION_DAYS,
    bankHolidayRegion: v.BANK_HOLIDAY_REGION,
    timezone: v.TIMEZONE,
    forwardWithinDays: v.FORWARD_WITHIN_DAYS,
    suppressionPepper: v.SUPPRESSION_PEPPER ?? null,
    scheduler: v.SCHEDULER === 'on',
    complaintResponseDays: v.COMPLAINT_RESPONSE_DAYS,
    companyName: v.COMPANY_NAME,
    publicForms: v.PUBLIC_FORMS === 'on',
    trustedProxies: Object.freeze(v.TRUSTED_PROXY),
    publicUrl: v.PUBLIC_URL ? v.PUBLIC_URL.replace(/\/+$/, '') : null,
    logLevel: v.LOG_LEVEL,
    logFormat: v.LOG_FORMAT ?? null,
    metricsToken: v.METRICS_TOKEN ?? null,
    metricsPort: v.METRICS_PORT ?? null,
  });
}

function crossChecks(v: { NODE_ENV: string; SLACK_BOT_TOKEN?: string; SLACK_SIGNING_SECRET?: string; SLACK_APP_TOKEN?: string; MICROSOFT_APP_ID?: string; MICROSOFT_APP_PASSWORD?: string; MICROSOFT_APP_TYPE: string; MICROSOFT_APP_TENANT_ID?: string; SUPPRESSION_PEPPER?: string }): string[] {
  const problems: string[] = [];
  if (v.SLACK_BOT_TOKEN && !v.SLACK_SIGNING_SECRET && !v.SLACK_APP_TOKEN) {
    problems.push('SLACK_SIGNING_SECRET is missing: Slack over HTTP needs it beside SLACK_BOT_TOKEN (Basic Information → Signing Secret in the Slack app settings); for example SLACK_SIGNING_SECRET=8f742231b10e8888abcd99yyyzzz85a5');
  }
  if (!v.SLACK_BOT_TOKEN && (v.SLACK_SIGNING_SECRET || v.SLACK_APP_TOKEN)) {
    problems.push('SLACK_BOT_TOKEN is missing: Slack needs the bot token (OAuth & Permissions → Bot User OAuth Token); for example SLACK_BOT_TOKEN=xoxb-1234-5678-abcd');
  }
  if (v.MICROSOFT_APP_ID && !v.MICROSOFT_APP_PASSWORD && v.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD is missing: Teams needs the client secret of the bot registration beside MICROSOFT_APP_ID; for example MICROSOFT_APP_PASSWORD=<client secret>');
  }
  if (v.MICROSOFT_APP_TYPE === 'SingleTenant' && v.MICROSOFT_APP_ID && !v.MICROSOFT_APP_TENANT_ID) {
    problems.push('MICROSOFT_APP_TENANT_ID is missing: a SingleTenant bot (the default MICROSOFT_APP_TYPE) needs its tenant id, and only activities from that tenant are served; for example MICROSOFT_APP_TENANT_ID=00000000-0000-0000-0000-000000000000');
  }
  if (v.NODE_ENV === 'production' && !v.SUPPRESSION_PEPPER) {
    problems.push('SUPPRESSION_PEPPER is required when NODE_ENV=production: it keys the hashes of the suppression list and must be the same on every replica and kept safe; for example SUPPRESSION_PEPPER=$(openssl rand -hex 32)');
  }
  return problems;
}

function parseChairs(value: string, ctx: z.RefinementCtx): MemberId[] {
  const chairs: MemberId[] = [];
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(slack|teams):(.+)$/.exec(entry);
    if (!match) {
      ctx.addIssue({ code: 'custom', message: `has "${entry}", which is not slack:<user id> or teams:<user id>` });
      return [];
    }
    chairs.push({ platform: match[1] as MemberId['platform'], id: match[2]! });
  }
  return chairs;
}

function parseProxies(value: string, ctx: z.RefinementCtx): string[] {
  const proxies = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = proxies.find((p) => net.isIP(p) === 0);
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `has "${bad.slice(0, 60)}", which is not an IP address` });
    return [];
  }
  return proxies.map(normaliseAddress);
}

const SECRET = /TOKEN|SECRET|PASSWORD|PEPPER/;
function redact(name: string, raw: string): string {
  if (SECRET.test(name)) return '…';
  if (name === 'DATABASE_URL') return maskDatabaseUrl(raw);
  return raw.length > 80 ? `${raw.slice(0, 80)}…` : raw;
}

/**
 * A database URL with its password masked. Parsed with new URL(), which splits the user part at
 * the last "@" as Postgres does: a pattern would stop at the first one and show the rest of a
 * password that contains "@".
 */
export function maskDatabaseUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = 'xxxxx';
    return url.toString().replace(':xxxxx@', ':…@');
  } catch {
    return 'a URL that could not be read (not shown)';
  }
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * The chat platforms this configuration can deliver to: Slack with a bot token, Teams with
 * credentials or in local mode. Slack first, as the start-up log lists them.
 */
export function platformsOn(config: Pick<Config, 'host' | 'slack' | 'teams'>): ('slack' | 'teams')[] {
  const on: ('slack' | 'teams')[] = [];
  if (config.slack.botToken) on.push('slack');
  if (teamsMode(config).kind !== 'off') on.push('teams');
  return on;
}

/** What is on and off, in plain words, for the start-up log. Never includes secrets. */
export function describeConfig(config: Config): string[] {
  const slackOn = Boolean(config.slack.botToken);
  return [
    config.databaseUrl ? `database: ${redact('DATABASE_URL', config.databaseUrl)}` : `database: embedded PostgreSQL in ${config.dataDir} (set DATABASE_URL to use your own server)`,
    slackOn
      ? `slack: on, ${config.slack.appToken ? 'Socket Mode' : 'HTTP at /slack/events'}`
      : 'slack: off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on)',
    describeTeams(config),
    `scheduler: ${config.scheduler ? 'on' : 'off (SCHEDULER=off)'}`,
    config.publicForms
      ? `public forms: on at /privacy/request and /privacy/complaint (PUBLIC_FORMS=off turns them off)${config.trustedProxies.length > 0 ? `; client addresses from X-Forwarded-For via ${config.trustedProxies.join(', ')}` : ''}`
      : 'public forms: off (PUBLIC_FORMS=off)',
  ];
}
