import { privateReply } from '../src/chat/reply.js';
import type { ChatCommand } from './command.js';
import type { CommandRoot } from './dispatch.js';

/**
 * `/dsr help` and `/gov help`, generated from the registry so help can never forget a command.
 * The registry is imported when help runs, not when this file loads: the registry lists the help
 * commands themselves, and a static import both ways would fail if this file were loaded first.
 */
export function helpCommand(root: CommandRoot, summary: string): ChatCommand {
  return {
    name: `${root} help`,
    usage: `/${root} help`,
    summary,
    access: 'anyone',
    async run() {
      const { COMMANDS } = await import('./registry.js');
      return privateReply(helpText(root, COMMANDS));
    },
  };
}

const INTROS: Readonly<Record<CommandRoot, string>> = {
  dsr: '/dsr: data subject requests. Every form:',
  gov: '/gov: committee business. Every form:',
};

const ACCESS_NOTES: Readonly<Record<ChatCommand['access'], string>> = {
  anyone: '',
  member: ' (committee members)',
  chair: ' (chairs)',
};

/** One line per form: its usage, then what it does and who may use it. */
export function helpText(root: CommandRoot, commands: readonly ChatCommand[]): string {
  const lines = commands.filter((c) => c.name.split(' ')[0] === root)
    .map((c) => `• ${c.usage}: ${c.summary}${ACCESS_NOTES[c.access]}`);
  return [INTROS[root], ...lines].join('\n');
}
