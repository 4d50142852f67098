import { formatDateWithWeekday } from '../src/domain/dates.js';
import { privateReply } from '../src/chat/reply.js';
import { recordNoticeReview } from '../src/services/notice.js';
import { mistake } from './arguments.js';
import type { ChatCommand } from './command.js';

const USAGE = '/gov notice reviewed [version]';

/**
 * Members only. Without a version, the version last reviewed is reviewed again (a yearly review
 * that changed nothing); with one, it must not be older than the last.
 */
export const govNoticeReviewed: ChatCommand = {
  name: 'gov notice reviewed',
  usage: USAGE,
  summary: 'record a review of the privacy notice (a newer version, or the same one again); closes open regulatory changes',
  access: 'member',
  async run(ctx, args) {
    if (args.length > 1) return mistake(USAGE, `Give one version, e.g. 2026.2, not "${args.join(' ').slice(0, 60)}"`);
    const reviewed = await recordNoticeReview(ctx.services, ctx.actor, args[0] ?? null);
    if (!reviewed.ok) return mistake(USAGE, reviewed.error);
    const { review, previousVersion, closedChanges, nextDue } = reviewed.value;
    const what = previousVersion === review.version ? `version ${review.version} reviewed again` : `version ${review.version}${previousVersion ? ` (was ${previousVersion})` : ''} reviewed`;
    const closed = closedChanges.length > 0 ? ` It addresses regulatory change${closedChanges.length === 1 ? '' : 's'} ${closedChanges.map((id) => `#${id}`).join(', ')}.` : '';
    return privateReply(`Recorded: privacy notice ${what} on ${formatDateWithWeekday(review.reviewed_on)}.${closed} Next yearly review: ${formatDateWithWeekday(nextDue)}.`);
  },
};
