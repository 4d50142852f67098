import type { Platform } from '../domain/platform.js';

/**
 * Help, errors and hints are written once, in Slack's syntax (`/dsr show DSR-2026-0001`,
 * `/gov members add <@user>`), and each adapter shows them in its own platform's: in Teams a
 * command is a message without the slash (`dsr show DSR-2026-0001`) and a person is named by an
 * @mention (`gov members add @name`), since Teams has no slash commands and no `<@…>` markup.
 */

// A command word where a person would start typing: at the start, after a space or an opening
// bracket or quote. Paths and links ("…/dsr", "a/gov") are left alone, and so is an instruction
// for Slack itself ("the Slack command /gov channel set"), which is right as it is on any platform.
const COMMAND = /(?<!Slack(?:'s| command))(^|[\s([{"'`“‘])\/(dsr|gov)(?![\w/-])/g;

/** The placeholders for a person in usage texts, and what a Teams user types instead. */
const TEAMS_PLACEHOLDERS: Readonly<Record<string, string>> = {
  '<@user>': '@name',
  '<@someone>': '@name',
  '<@slack-user>': '<Slack user id U…>',
  '<teams:id>': '@name',
};

export function inPlatformSyntax(text: string, platform: Platform): string {
  if (platform === 'slack') return text;
  return text
    .replace(COMMAND, '$1$2')
    .replace(/<@(?:user|someone|slack-user)>|<teams:id>/g, (placeholder) => TEAMS_PLACEHOLDERS[placeholder] ?? placeholder);
}
