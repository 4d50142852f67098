import type { App, types } from '@slack/bolt';
import { loadHome, type HomeData, type HomeItem } from '../services/member-home.js';
import { replyBlocks } from './block-kit.js';
import type { HandlerDeps } from './handler-kit.js';

/**
 * The App Home tab: what is waiting for this person, nearest deadline first. Re-published on every
 * visit, so a retried app_home_opened only publishes the same view again.
 */
export function homeView(data: HomeData): types.HomeView {
  const lines = (items: readonly HomeItem[]) => items
    .map((i) => `• *${i.reference}* · ${i.type} · ${i.clock ?? 'no statutory deadline'} · ${i.note}`).join('\n');
  const parts: string[] = [];
  if (!data.isMember) {
    parts.push('You are not on the Information Governance Committee, so nothing here waits for your vote. Anyone can log a data subject request with /dsr; a chair adds committee members with /gov members add.');
  } else {
    parts.push(`*Awaiting your vote* (${data.awaitingVote.length})`, data.awaitingVote.length ? lines(data.awaitingVote) : 'Nothing: you are up to date.');
  }
  if (data.isMember || data.loggedByYou.length > 0) {
    parts.push(`*Open requests you logged* (${data.loggedByYou.length})`, data.loggedByYou.length ? lines(data.loggedByYou) : 'None open.');
  }
  parts.push('Cards with the buttons are in the committee channel; /dsr list shows every open request.');
  return { type: 'home', blocks: replyBlocks(parts.join('\n\n')) };
}

export function registerAppHome(bolt: App, deps: HandlerDeps): void {
  bolt.event('app_home_opened', async ({ event }) => {
    if (event.tab !== 'home') return;
    await deps.guard('app_home_opened', async () => {
      await deps.client.views.publish({ user_id: event.user, view: homeView(await loadHome(deps.services, event.user)) });
    }, async () => undefined);
  });
}
