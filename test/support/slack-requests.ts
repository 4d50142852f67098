import { createHmac } from 'node:crypto';
import type { ViewStateValue } from '@slack/bolt';

/**
 * Requests exactly as Slack sends them to /slack/events: slash commands form-encoded, clicks and
 * modal submissions as a form-encoded `payload=` JSON, events as JSON; each signed with Slack's v0
 * scheme for a given secret and timestamp, so tests can also send stale or mis-signed ones.
 */
export interface Signing {
  readonly secret: string;
  /** Seconds since the epoch; default now. */
  readonly timestamp?: number;
  /** Replaces the computed signature (a forged request). */
  readonly signature?: string;
}

export interface SlackRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export const TEAM = { id: 'T0FAKE', domain: 'fake' } as const;
// Bolt compares the content type exactly: no "; charset=utf-8".
const FORM = 'application/x-www-form-urlencoded';

export function signedRequest(body: string, contentType: string, signing: Signing | null): SlackRequest {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (signing) {
    const timestamp = signing.timestamp ?? Math.floor(Date.now() / 1000);
    const digest = createHmac('sha256', signing.secret).update(`v0:${timestamp}:${body}`).digest('hex');
    headers['X-Slack-Request-Timestamp'] = String(timestamp);
    headers['X-Slack-Signature'] = signing.signature ?? `v0=${digest}`;
  }
  return { body, headers };
}

export function slashCommand(options: { command: string; text: string; userId: string; channelId?: string; responseUrl: string; triggerId?: string }, signing: Signing | null): SlackRequest {
  const form = new URLSearchParams({
    token: 'deprecated-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: options.channelId ?? 'C0COMMITTEE',
    channel_name: 'committee',
    user_id: options.userId,
    user_name: options.userId.toLowerCase(),
    command: options.command,
    text: options.text,
    api_app_id: 'A0GOVBOT',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? `trigger-${options.userId}`,
  });
  return signedRequest(form.toString(), FORM, signing);
}

export function blockAction(options: { userId: string; actionId: string; value: string; responseUrl: string; channelId?: string; triggerId?: string; messageTs?: string }, signing: Signing | null): SlackRequest {
  const channelId = options.channelId ?? 'C0COMMITTEE';
  const messageTs = options.messageTs ?? '1772445601.000100';
  return payloadRequest({
    type: 'block_actions',
    user: { id: options.userId, username: options.userId.toLowerCase(), name: options.userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'A0GOVBOT',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: options.triggerId ?? `trigger-${options.userId}`,
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'committee' },
    message: { type: 'message', ts: messageTs, text: 'card', blocks: [] },
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [{ type: 'button', action_id: options.actionId, block_id: 'b1', value: options.value, text: { type: 'plain_text', text: 'button' }, action_ts: `${Math.floor(Date.now() / 1000)}.000001` }],
  }, signing);
}

/** A modal as govbot opened it (the `view` of a views.open call). */
export interface OpenedModal {
  readonly callback_id?: string;
  readonly private_metadata?: string;
  readonly blocks: readonly unknown[];
}

/** A submission of a modal as it was opened, with values typed in. */
export function viewSubmission(options: { userId: string; view: OpenedModal; values: Record<string, string> }, signing: Signing | null): SlackRequest {
  return payloadRequest({
    type: 'view_submission',
    team: TEAM,
    user: { id: options.userId, username: options.userId.toLowerCase(), name: options.userId.toLowerCase(), team_id: TEAM.id },
    api_app_id: 'A0GOVBOT',
    token: 'deprecated-verification-token',
    trigger_id: `trigger-${options.userId}-submit`,
    view: {
      id: 'V00000001', team_id: TEAM.id, app_id: 'A0GOVBOT', bot_id: 'BBOT', hash: '1772445600.abcdef',
      previous_view_id: null, root_view_id: 'V00000001', clear_on_close: false, notify_on_close: false, external_id: '',
      ...options.view,
      private_metadata: options.view.private_metadata ?? '',
      callback_id: options.view.callback_id ?? '',
      state: { values: stateFor(options.view, options.values) },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  }, signing);
}

interface InputLike {
  type: 'input';
  block_id: string;
  element: { type: string; action_id: string; options?: { text: { type: 'plain_text'; text: string }; value: string }[] };
}

const isInput = (block: unknown): block is InputLike => {
  const b = block as Partial<InputLike> | null;
  return b?.type === 'input' && typeof b.block_id === 'string' && typeof b.element?.action_id === 'string';
};

/** The `state.values` Slack reports for the given inputs; boxes not given are reported empty. */
export function stateFor(view: OpenedModal, values: Record<string, string>): Record<string, Record<string, ViewStateValue>> {
  const state: Record<string, Record<string, ViewStateValue>> = {};
  for (const block of view.blocks.filter(isInput)) {
    const value = values[block.block_id];
    const { type, action_id: actionId, options } = block.element;
    const entry: ViewStateValue = type === 'datepicker' ? { type, selected_date: value ?? null }
      : type === 'static_select' ? { type, selected_option: value === undefined ? null : options?.find((o) => o.value === value) ?? { text: { type: 'plain_text', text: value }, value } }
        : { type, value: value ?? null };
    state[block.block_id] = { [actionId]: entry };
  }
  return state;
}

export function eventCallback(event: Record<string, unknown>, signing: Signing | null): SlackRequest {
  const body = JSON.stringify({
    token: 'deprecated-verification-token', team_id: TEAM.id, api_app_id: 'A0GOVBOT', event,
    type: 'event_callback', event_id: `Ev${Date.now()}`, event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM.id, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  });
  return signedRequest(body, 'application/json', signing);
}

function payloadRequest(payload: Record<string, unknown>, signing: Signing | null): SlackRequest {
  return signedRequest(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, signing);
}

export async function send(url: string, request: SlackRequest, extraHeaders: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { ...request.headers, ...extraHeaders }, body: request.body });
  return { status: response.status, text: await response.text() };
}
