import { helpCommand } from './help.js';

/** Anyone: staff who log requests need to find the forms too. */
export const dsrHelp = helpCommand('dsr', 'this list');
