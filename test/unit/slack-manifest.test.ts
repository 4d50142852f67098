import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/registry.js';
import { SLACK_EVENTS_PATH } from '../../src/slack/slack-app.js';
import { SLASH_COMMAND_ROOTS } from '../../src/slack/slash-commands.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
// Slack's published manifest schema, vendored with its licence (see vendor/slack-manifest-schema/README.md).
const schemaDir = path.join(repoRoot, 'vendor', 'slack-manifest-schema');
const schemaFile = path.join(schemaDir, 'manifest.schema.1.0.0.json');

interface Manifest {
  features: { slash_commands: { command: string; url: string; usage_hint: string; should_escape: boolean }[]; app_home: Record<string, boolean> };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean; token_rotation_enabled: boolean };
}

const manifest = load(fs.readFileSync(path.join(repoRoot, 'manifest', 'slack', 'manifest.yml'), 'utf8')) as Manifest;

describe('Slack app manifest', () => {
  it('is valid against Slack\'s manifest schema', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
    expect(validate(manifest), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('accepts Slack\'s own valid example, so the vendored copy is whole', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
    const example = JSON.parse(fs.readFileSync(path.join(schemaDir, 'example.valid.json'), 'utf8')) as object;
    expect(validate(example), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('fails validation when something is wrong, so the check above means something', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
    expect(validate({ ...manifest, features: { ...manifest.features, slash_commands: [{ command: 'dsr' }] } })).toBe(false);
  });

  it('sends commands, clicks and events to the one endpoint govbot serves', () => {
    const urls = [
      ...manifest.features.slash_commands.map((c) => c.url),
      manifest.settings.event_subscriptions.request_url,
      manifest.settings.interactivity.request_url,
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe(SLACK_EVENTS_PATH);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings).toMatchObject({ socket_mode_enabled: false, token_rotation_enabled: false });
  });

  it('asks for the least scopes the bot uses (files:write: the report\'s chart; users:read: Slack members\' names on Teams cards)', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(['chat:write', 'commands', 'files:write', 'users:read']);
  });

  it('has a handler root for every slash command, and commands registered under each root', () => {
    const roots = manifest.features.slash_commands.map((c) => c.command.replace(/^\//, ''));
    expect([...roots].sort()).toEqual([...SLASH_COMMAND_ROOTS].sort());
    for (const root of roots) {
      expect(COMMANDS.some((c) => c.name.split(' ')[0] === root), `no command under /${root} in commands/registry.ts`).toBe(true);
    }
  });

  it('hints at the subcommands the registry has', () => {
    for (const { command, usage_hint: hint } of manifest.features.slash_commands) {
      const root = command.slice(1);
      const words = new Set(COMMANDS.filter((c) => c.name.startsWith(`${root} `)).map((c) => c.name.split(' ')[1]));
      for (const word of words) expect(hint, `${command} usage hint lacks "${word}"`).toMatch(new RegExp(`(^|[ |\\[])${word}\\b`));
    }
  });
});
