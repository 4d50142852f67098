import type { App } from '@slack/bolt';
import { actor } from '../chat/actor.js';
import { dispatchCommand, type CommandRoot } from '../../commands/dispatch.js';
import type { HandlerDeps } from './handler-kit.js';
import { openForm, respondPrivately, respondWith } from './replies.js';
import { namesFor } from '../services/display-names.js';

/** The slash commands the manifest declares; a test checks the two lists agree. */
export const SLASH_COMMAND_ROOTS: readonly CommandRoot[] = ['dsr', 'gov'];

/**
 * `/dsr …` and `/gov …`: acknowledged at once (Slack shows nothing for an empty ack), then the
 * words go to the shared dispatcher and its Reply comes back through the command's response_url,
 * or as a modal when the reply is a form.
 */
export function registerSlashCommands(bolt: App, deps: HandlerDeps): void {
  for (const root of SLASH_COMMAND_ROOTS) {
    bolt.command(`/${root}`, async ({ command, ack, respond }) => {
      await ack();
      const by = actor('slack', command.user_id, { channelId: command.channel_id });
      await deps.guard(`/${root}`, async () => {
        // Slack always says who typed it; without that, nothing can be done on anyone's behalf.
        if (!command.user_id) return respondPrivately(respond, 'This command did not say who typed it, so nothing was done.');
        const reply = await dispatchCommand({ services: deps.services, actor: by }, root, commandText(command.text));
        if (reply.kind === 'form') await openForm(deps.client, command.trigger_id, reply.form, command.channel_id);
        else await respondWith(respond, reply, await namesFor(deps.services.db, reply.text, reply.card));
      }, (message) => respondPrivately(respond, message));
    });
  }
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
