import type { Actor } from '../src/chat/actor.js';
import type { Reply } from '../src/chat/reply.js';
import type { ServiceContext } from '../src/services/context.js';

/**
 * One chat command: `/dsr list`, `/gov purge exclude`. Parse → service → reply, and nothing that
 * knows Slack or Teams. Each command lives in a file of its own and is listed in registry.ts.
 */
export interface CommandContext {
  readonly services: ServiceContext;
  readonly actor: Actor;
}

export interface ChatCommand {
  /** The words that select it: "dsr list", "gov purge exclude". */
  readonly name: string;
  /** The correct form, shown in help and after every mistake: "/dsr list [open|overdue|due-soon|closed|all]". */
  readonly usage: string;
  readonly summary: string;
  /** Chair-only commands answer members with a refusal and change nothing. */
  readonly access: 'anyone' | 'member' | 'chair';
  run(ctx: CommandContext, args: readonly string[]): Promise<Reply>;
}
