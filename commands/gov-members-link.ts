import { privateReply } from '../src/chat/reply.js';
import { linkPerson } from '../src/services/link-identities.js';
import { memberTarget, mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov members link <@slack-user> <teams:id>';
const FIRST_SLACK = 'Give the Slack user first (@name or U0123ABCD), then the Teams user (teams:<id>)';

/** Chairs only: the same person on Slack and on Teams counts once (CONTRACT section 4). */
export const govMembersLink: ChatCommand = {
  name: 'gov members link',
  usage: USAGE,
  summary: 'record that a Slack user and a Teams user are the same person, so they count once',
  access: 'chair',
  async run(ctx, args) {
    const [slackWord, teamsWord, ...extra] = args;
    if (extra.length > 0) return mistake(USAGE, `Give two people, not "${extra.join(' ').slice(0, 60)}" as well`);
    const slack = memberTarget(slackWord, 'slack');
    if (!slack.ok) return mistake(USAGE, slack.error);
    if (slack.value.platform !== 'slack') return mistake(USAGE, FIRST_SLACK);
    const teams = memberTarget(teamsWord, 'teams');
    if (!teams.ok) return mistake(USAGE, teams.error);
    if (teams.value.platform !== 'teams') return mistake(USAGE, FIRST_SLACK);
    const linked = await linkPerson(ctx.services, ctx.actor, slack.value, teams.value);
    if (!linked.ok) return mistake(USAGE, linked.error);
    return privateReply(linked.value);
  },
};
