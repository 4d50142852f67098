import { tokenize } from '../src/domain/command-grammar.js';
import { privateReply, type Reply } from '../src/chat/reply.js';
import { committeeRole } from '../src/services/committee-members.js';
import type { ChatCommand, CommandContext } from './command.js';
import { usageFor } from './arguments.js';
import { helpText } from './help.js';
import { COMMANDS } from './registry.js';

export type CommandRoot = 'dsr' | 'gov';

/**
 * Finds the command for what was typed after `/dsr` or `/gov` (the longest matching name wins, so
 * "gov purge exclude" beats "gov purge"), checks who may use it, and runs it. Every mistake comes
 * back as a private reply naming the correct form; nothing is changed.
 */
export async function dispatchCommand(ctx: CommandContext, root: CommandRoot, text: string, commands: readonly ChatCommand[] = COMMANDS): Promise<Reply> {
  const words = tokenize(text.trim());
  if (!words.ok) return privateReply(`That did not parse: ${words.error}. ${helpHint(root)}`);
  const all = [root, ...words.value];
  const match = findCommand(root, words.value, commands);
  if (!match) {
    return privateReply(`Unknown command "/${root} ${words.value[0] ?? ''}". The forms are:\n${helpText(root, commands)}`);
  }
  const denied = await checkAccess(ctx, match);
  if (denied) return privateReply(denied);
  const args = all.slice(match.name.split(' ').length);
  const reply = withKnownReference(await match.run(ctx, args), match.usage, args[0]);
  // Commands that change something queue a card or a notice: deliver it now, not at the next tick
  // (a no-op while a delivery is already running). Commands open to anyone only read, but intake.
  const mayChange = match.access !== 'anyone' || match.name === 'dsr new';
  if (reply.kind !== 'form' && mayChange) ctx.services.kickJob('deliver-outbox');
  return reply;
}

/**
 * Whether running these words twice can do no harm: commands open to anyone only read, and the
 * one that changes something, the intake, is found again by its delivery key (see log-request.ts).
 */
export function mayRepeat(root: CommandRoot, text: string, commands: readonly ChatCommand[] = COMMANDS): boolean {
  const words = tokenize(text.trim());
  if (!words.ok) return true; // answered with a parse error, and nothing else
  const match = findCommand(root, words.value, commands);
  return match === undefined || match.access === 'anyone';
}

function findCommand(root: CommandRoot, words: readonly string[], commands: readonly ChatCommand[]): ChatCommand | undefined {
  const lowered = [root, ...words].map((w) => w.toLowerCase());
  return commands
    .filter((c) => c.name.split(' ').every((part, i) => lowered[i] === part))
    .sort((a, b) => b.name.split(' ').length - a.name.split(' ').length)[0]
    ?? (words.length === 0 ? defaultCommand(root, commands) : undefined);
}

/** A mistake's "Usage: …" line names the request (breach, complaint) the person typed, not `<ref>`. */
function withKnownReference(reply: Reply, usage: string, firstWord: string | undefined): Reply {
  const known = usageFor(usage, firstWord);
  if (reply.kind !== 'private' || known === usage) return reply;
  return { ...reply, text: reply.text.split(`Usage: ${usage}`).join(`Usage: ${known}`) };
}

function defaultCommand(root: CommandRoot, commands: readonly ChatCommand[]): ChatCommand | undefined {
  // `/dsr` alone opens the intake form; `/gov` alone shows help.
  return commands.find((c) => c.name === (root === 'dsr' ? 'dsr new' : 'gov help'));
}

async function checkAccess(ctx: CommandContext, command: ChatCommand): Promise<string | null> {
  if (command.access === 'anyone') return null;
  const role = await committeeRole(ctx.services, ctx.actor);
  const form = `/${command.name}`;
  if (command.access === 'member' && role === null) {
    return `Only committee members can use ${form}; nothing was changed. Ask a chair to add you with /gov members add.`;
  }
  if (command.access === 'chair' && role !== 'chair') {
    return `Only a committee chair can use ${form}; nothing was changed. The chairs are listed by /gov members.`;
  }
  return null;
}

function helpHint(root: CommandRoot): string {
  return `Type /${root} help to see every form.`;
}
