import type { ChatCommand } from './command.js';
import { dsrNew } from './dsr-new.js';

/** Every chat command. A test checks that each command in the Slack manifest has one here. */
export const COMMANDS: readonly ChatCommand[] = [
  dsrNew,
];
