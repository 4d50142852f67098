import type { App, webApi } from '@slack/bolt';
import { actor } from '../chat/actor.js';
import { dispatchCommand, mayRepeat, type CommandRoot } from '../../commands/dispatch.js';
import { NOT_RECORDED, STILL_RECORDING, type InboxWork } from '../inbox/work.js';
import type { Recorded } from '../inbox/recorder.js';
import type { HandlerDeps } from './handler-kit.js';
import { openForm, respondPrivately, respondTo, respondWith } from './replies.js';
import { SLACK_TIMEOUT_MS } from './slack-port.js';
import { namesFor } from '../services/display-names.js';

/** The slash commands the manifest declares; a test checks the two lists agree. */
export const SLASH_COMMAND_ROOTS: readonly CommandRoot[] = ['dsr', 'gov'];

/**
 * `/dsr …` and `/gov …`: recorded in the inbox, then acknowledged (Slack shows nothing for an
 * empty ack), then the inbox hands the words to the shared dispatcher and its Reply comes back
 * through the command's response_url, or as a modal when the reply is a form.
 */
export function registerSlashCommands(bolt: App, deps: HandlerDeps): void {
  for (const root of SLASH_COMMAND_ROOTS) {
    bolt.command(`/${root}`, async ({ command, ack, respond }) => {
      const recorded: RecordedCommand = {
        root, text: command.text, userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url, triggerId: command.trigger_id,
      };
      const outcome = await deps.record(COMMAND_WORK, { ...recorded }, (text) => respondPrivately(respond, text));
      await ack(commandAck(outcome));
    });
  }
}

/** The ack's body once a command is (or is not) recorded: none when it is (Slack then shows nothing). */
export function commandAck(outcome: Recorded | 'late'): { response_type: 'ephemeral'; text: string } | undefined {
  if (outcome === 'failed') return { response_type: 'ephemeral', text: NOT_RECORDED };
  if (outcome === 'late') return { response_type: 'ephemeral', text: STILL_RECORDING };
  return undefined;
}

/**
 * The work of a recorded command, done by the inbox (src/inbox) after the ack: the shared
 * dispatcher, and its Reply back through the command's response_url, or as a modal for a form.
 */
export function commandWorks(client: webApi.WebClient): [string, InboxWork][] {
  return [[COMMAND_WORK, {
    run: async (payload, services) => {
      const command = payload as unknown as RecordedCommand;
      const respond = respondTo(command.responseUrl, SLACK_TIMEOUT_MS);
      // Slack always says who typed it; without that, nothing can be done on anyone's behalf.
      if (!command.userId) return respondPrivately(respond, 'This command did not say who typed it, so nothing was done.');
      const by = actor('slack', command.userId, { channelId: command.channelId });
      const reply = await dispatchCommand({ services, actor: by }, command.root, commandText(command.text));
      if (reply.kind === 'form') await openForm(client, command.triggerId, reply.form, command.channelId);
      else await respondWith(respond, reply, await namesFor(services.db, reply.text, reply.card));
    },
    // Reading commands change nothing, and an intake is found again by its delivery key.
    repeatable: (payload) => {
      const command = payload as unknown as RecordedCommand;
      return mayRepeat(command.root, commandText(command.text));
    },
    tell: (payload, text) => respondPrivately(respondTo((payload as unknown as RecordedCommand).responseUrl, SLACK_TIMEOUT_MS), text),
  }]];
}

export const COMMAND_WORK = 'slack-command';

/** What the inbox keeps of a slash command: all its work needs, nothing more. */
export interface RecordedCommand {
  readonly root: CommandRoot;
  readonly text: string;
  readonly userId: string;
  readonly channelId: string;
  readonly responseUrl: string;
  readonly triggerId: string;
}

/**
 * The words as the person typed them. Slack sends `&`, `<` and `>` as entities, and with escaping
 * on (see the manifest) links and emails as `<mailto:jo@example.com|jo@example.com>`; mentions stay
 * `<@U0123|jo>`, the form the /gov members commands read.
 */
export function commandText(raw: string): string {
  return raw
    .replace(/<mailto:([^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/<(https?:\/\/[^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
