import type { LogFormat } from '../config.js';

/** What the background thread is started with (its worker data). */
export interface BackgroundData {
  readonly databaseUrl: string;
  readonly pepper: string;
  readonly logFormat: LogFormat;
  /** Run the interval jobs' loops (deliver-outbox, execute-actions): the scheduler is on. */
  readonly loops: boolean;
  /** Which platforms' recorded work the inbox does. */
  readonly slack: boolean;
  readonly teams: boolean;
}

/** From the service's main thread to the background thread. */
export type ToBackground =
  | { readonly type: 'wake'; readonly at: number }
  /** A request is being answered on the main thread (a Teams card's button): background work gives way. */
  | { readonly type: 'answering'; readonly at: number }
  | { readonly type: 'kick'; readonly job: string }
  | { readonly type: 'stop' };

/** From the background thread to the main thread. */
export type FromBackground =
  | { readonly type: 'ready' }
  | { readonly type: 'database'; readonly loop: string; readonly available: boolean }
  | { readonly type: 'stopped' };
