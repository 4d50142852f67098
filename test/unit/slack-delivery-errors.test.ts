import { webApi } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { toDeliveryError } from '../../src/slack/slack-port.js';

/**
 * What the outbox makes of each failure the Slack Web API client (web-api 8, one error class per
 * failure) throws: when to try again, or that a person must fix something first.
 */
describe('toDeliveryError', () => {
  it.each([
    ['rate limited: wait as long as Slack asks', new webApi.WebAPIRateLimitedError(30), 'slack chat.postMessage: rate limited, retry after 30 s', { retryAfterMs: 30_000 }],
    ['HTTP 503: Slack\'s trouble, try again', new webApi.WebAPIHTTPError(503, 'Service Unavailable', {}), 'slack chat.postMessage: HTTP 503', {}],
    ['HTTP 404: the URL is wrong, a person must fix it', new webApi.WebAPIHTTPError(404, 'Not Found', {}), 'slack chat.postMessage: HTTP 404 (is SLACK_API_URL right?)', { permanent: true }],
    ['no answer: try again', new webApi.WebAPIRequestError(new Error('socket hang up')), 'slack chat.postMessage: no answer from Slack (socket hang up)', {}],
    ['a transient platform error', new webApi.WebAPIPlatformError({ ok: false, error: 'internal_error' }), 'slack chat.postMessage: internal_error', {}],
    ['a platform error only a person can fix', new webApi.WebAPIPlatformError({ ok: false, error: 'channel_not_found' }), 'slack chat.postMessage: channel_not_found', { permanent: true }],
    ['anything else', new Error('boom'), 'slack chat.postMessage: boom', {}],
  ])('%s', (_what, error, message, options) => {
    const mapped = toDeliveryError('chat.postMessage', error);
    expect(mapped.message.startsWith(message)).toBe(true);
    expect(mapped.options).toEqual(options);
  });
});
