import { describe, expect, it } from 'vitest';
import { hotRequest } from '../../src/slack/hot-requests.js';

/**
 * Which verified bodies the front acknowledges itself (hot-requests.ts), and what it records of
 * them: only what Bolt's command and recorded-click listeners would take, read the same way. All
 * else goes on to Bolt, whose answers to odd and hostile payloads the integration tests pin down.
 */
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const COMMAND = { command: '/dsr', text: 'new access jo@example.com Jo Bloggs', user_id: 'U0CLERK', channel_id: 'C0COMMITTEE', response_url: 'https://hooks.slack.com/commands/1', trigger_id: 't1', team_id: 'T0' };
const click = (payload: Record<string, unknown>) => form({ payload: JSON.stringify(payload) });
const VOTE = {
  type: 'block_actions', user: { id: 'U0CHAIR' }, channel: { id: 'C0COMMITTEE' }, response_url: 'https://hooks.slack.com/actions/1',
  actions: [{ type: 'button', action_id: 'vote_approve:12', value: '12' }],
};

describe('the hot Slack requests', () => {
  it('takes /dsr and /gov commands, recording what the command listener records', () => {
    expect(hotRequest(form(COMMAND))).toEqual({
      kind: 'slack-command', command: true, body: expect.objectContaining({ command: '/dsr' }),
      recorded: { root: 'dsr', text: COMMAND.text, userId: 'U0CLERK', channelId: 'C0COMMITTEE', responseUrl: COMMAND.response_url, triggerId: 't1' },
    });
    expect(hotRequest(form({ ...COMMAND, command: '/gov', text: 'members' }))?.recorded).toMatchObject({ root: 'gov', text: 'members' });
    expect(hotRequest(form({ ...COMMAND, text: '' }))?.recorded).toMatchObject({ text: '' });
  });

  it('takes a recorded click (vote, acknowledge, told), as the click listener reads it', () => {
    expect(hotRequest(click(VOTE))).toEqual({
      kind: 'slack-click:vote_approve', command: false, body: expect.objectContaining({ type: 'block_actions' }),
      recorded: { value: '12', userId: 'U0CHAIR', channelId: 'C0COMMITTEE', responseUrl: VOTE.response_url },
    });
    expect(hotRequest(click({ ...VOTE, actions: [{ action_id: 'vote_approve' }] }))?.recorded).toMatchObject({ value: null });
    const { channel: _channel, ...noChannel } = VOTE;
    expect(hotRequest(click(noChannel))?.recorded).toMatchObject({ channelId: null });
  });

  // Each of these Bolt routes elsewhere, refuses, or reads differently: the front leaves it to Bolt.
  it.each([
    ['a command govbot does not have', form({ ...COMMAND, command: '/other' })],
    ['a command without a user', form((({ user_id: _u, ...rest }) => rest)(COMMAND))],
    ['a command without text', form((({ text: _t, ...rest }) => rest)(COMMAND))],
    ['a command with a field given twice', `${form(COMMAND)}&user_id=U0OTHER`],
    ['an ssl_check', form({ ...COMMAND, ssl_check: '1' })],
    ['a form naming an event', form({ ...COMMAND, event: 'x' })],
    ['a payload that is not JSON', form({ payload: '{not json' })],
    ['a payload of null', form({ payload: 'null' })],
    ['a payload that is a list', form({ payload: '[]' })],
    ['a click on a reject button (it opens a form)', click({ ...VOTE, actions: [{ action_id: 'vote_reject:12', value: '12' }] })],
    ['an action_id govbot never made', click({ ...VOTE, actions: [{ action_id: 'nope:12', value: '12' }] })],
    ['an action_id that only starts like a vote', click({ ...VOTE, actions: [{ action_id: 'vote_approvex:12', value: '12' }] })],
    ['two actions at once', click({ ...VOTE, actions: [...VOTE.actions, ...VOTE.actions] })],
    ['no actions', click({ ...VOTE, actions: [] })],
    ['actions that are not a list', click({ ...VOTE, actions: { action_id: 'vote_approve:12' } })],
    ['a value that is not text', click({ ...VOTE, actions: [{ action_id: 'vote_approve:12', value: 12 }] })],
    ['no user', click({ ...VOTE, user: undefined })],
    ['a user id that is not text', click({ ...VOTE, user: { id: 7 } })],
    ['no response_url', click({ ...VOTE, response_url: undefined })],
    ['a channel without an id', click({ ...VOTE, channel: {} })],
    ['a channel of null', click({ ...VOTE, channel: null })],
    ['a view submission', click({ type: 'view_submission', user: { id: 'U0' }, view: {} })],
    ['a payload naming a command', click({ ...VOTE, command: '/dsr' })],
    ['a payload naming an event', click({ ...VOTE, event: {} })],
    ['options (a name)', click({ ...VOTE, name: 'x' })],
  ])('leaves %s to Bolt', (_name, body) => {
    expect(hotRequest(body)).toBeNull();
  });
});
