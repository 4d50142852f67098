import { helpCommand } from './help.js';

/** Anyone: `/gov` alone shows it, and it tells a newcomer who may do what. */
export const govHelp = helpCommand('gov', 'this list');
