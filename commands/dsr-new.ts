import { parseOptions } from '../src/domain/command-grammar.js';
import { privateReply, type Reply } from '../src/chat/reply.js';
import { logRequest } from '../src/services/log-request.js';
import { CHAT_INTAKE_LIMIT, checkRateLimit, waitText } from '../src/services/rate-limit.js';
import type { ChatCommand } from './command.js';
import { INTAKE_FORM, parseIntakeForm } from './forms/intake-form.js';

const USAGE = '/dsr new <type> <email> [full name] [--received YYYY-MM-DD] [--via email|phone|web|post|in-person] [--agent "name"] [--controller "customer"] [--about marketing|other [--erase]]';

/** `/dsr` or `/dsr new` opens the form; with words, logs the request in one line. */
export const dsrNew: ChatCommand = {
  name: 'dsr new',
  usage: USAGE,
  summary: 'log a data subject request (no words: open the form)',
  access: 'anyone',
  async run(ctx, args): Promise<Reply> {
    if (args.length === 0) return { kind: 'form', form: INTAKE_FORM };
    const parsed = parseOptions(args, ['received', 'via', 'agent', 'controller', 'about'], ['erase']);
    if (!parsed.ok) return privateReply(`${parsed.error}. Usage: ${USAGE}`);
    const [type, email, ...name] = parsed.value.positionals;
    if (type === undefined || email === undefined) return privateReply(`Give the type and the individual's email. Usage: ${USAGE}`);
    const opt = (key: string) => (typeof parsed.value.options[key] === 'string' ? parsed.value.options[key] as string : undefined);
    const form = parseIntakeForm({ type, email, full_name: name.join(' '), received: opt('received'), via: opt('via'), agent: opt('agent'), controller: opt('controller'),
      objection: opt('about') === undefined ? undefined : `${opt('about')}${parsed.value.options.erase === true ? '-erase' : ''}` });
    if (!form.ok) return privateReply(`${Object.values(form.errors).join('; ')}. Usage: ${USAGE}`);
    return submitRequest(ctx, form.value);
  },
};

/** Shared by the one-line form and the intake form's submission. */
export async function submitRequest(ctx: Parameters<ChatCommand['run']>[0], input: Parameters<typeof logRequest>[2]): Promise<Reply> {
  // Per person, whichever platform they type on; counted only for well-formed requests, and once
  // for a delivery taken up again after an interruption.
  const limit = ctx.services.delivery?.again ? { allowed: true as const } : await checkRateLimit(ctx.services, CHAT_INTAKE_LIMIT, ctx.actor.key);
  if (!limit.allowed) {
    return privateReply(`You have logged ${CHAT_INTAKE_LIMIT.max} requests in the last hour, the most govbot takes from one person; nothing was logged. Try again in ${waitText(limit.retryAfterSeconds)}, or ask a committee member if this is a genuine backlog.`);
  }
  const result = await logRequest(ctx.services, ctx.actor, input);
  if (!result.ok) return privateReply(`${result.error}. Usage: ${USAGE}`);
  const request = result.value;
  if (request.controller !== null) {
    return privateReply(`Logged ${request.reference} (${request.type}) for ${request.controller}, the controller of this data: pass it to them by ${request.due_on ?? 'the next working day'} (the committee has its card), then record it with /dsr forwarded ${request.reference}.`);
  }
  return privateReply(`Logged ${request.reference} (${request.type}), due ${request.due_on}. The committee has been sent the identity check.`);
}
