import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { mountPlayground, playgroundOn } from '../../src/web/playground/routes.js';
import { createTestServices, type TestServices } from '../support/service-context.js';

/**
 * The playground exists only in Teams local mode, and answers only this machine talking to it
 * directly: a non-loopback Host or a proxy's Forwarded headers get a 404 and nothing else.
 */
describe('the playground routes', () => {
  let t: TestServices;
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    t = await createTestServices();
    const app = express();
    mountPlayground(app, { services: t.ctx, logger: t.ctx.logger });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    await t.drop();
  });

  it('is on only without MICROSOFT_APP_ID and on a loopback HOST', () => {
    expect(playgroundOn(parseConfig({}, process.cwd()))).toBe(true);
    expect(playgroundOn(parseConfig({ HOST: '::1' }, process.cwd()))).toBe(true);
    expect(playgroundOn(parseConfig({ HOST: '0.0.0.0' }, process.cwd()))).toBe(false);
    expect(playgroundOn(parseConfig({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001', MICROSOFT_APP_PASSWORD: 'pw', MICROSOFT_APP_TENANT_ID: '00000000-0000-0000-0000-0000000000aa' }, process.cwd()))).toBe(false);
  });

  it('serves the page and its renderer to this machine, and seeds a marked roster once', async () => {
    const page = await fetch(`${base}/playground`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('playground roster');
    expect((await fetch(`${base}/playground/adaptivecards.js`)).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      const state = await (await fetch(`${base}/playground/state`)).json() as { roster: { name: string }[]; serviceUrl: string; channelReady: boolean };
      expect(state.roster.map((p) => p.name)).toEqual(['Ada (playground chair)', 'Ben (playground member)', 'Cleo (playground member)', 'Dev (playground staff)']);
      expect(state.serviceUrl).toBe(`${base}/playground/connector/`);
      expect(state.channelReady).toBe(false);
    }
    expect(await t.db('committee_members').orderBy('id').select('platform_user_id', 'role', 'added_by')).toEqual([
      { platform_user_id: '00000000-0000-4000-8000-00000000a001', role: 'chair', added_by: 'playground' },
      { platform_user_id: '00000000-0000-4000-8000-00000000a002', role: 'member', added_by: 'playground' },
      { platform_user_id: '00000000-0000-4000-8000-00000000a003', role: 'member', added_by: 'playground' },
    ]);
    // Everyone in the playground, staff too, is shown by name rather than by id.
    expect(await t.db('display_names').orderBy('identity').pluck('name')).toEqual(['Ada (playground chair)', 'Ben (playground member)', 'Cleo (playground member)', 'Dev (playground staff)']);
    expect(await t.db('audit_events').where({ action: 'committee.member_added' }).count<{ count: number }[]>('* as count')).toEqual([{ count: 3 }]);
  });

  it('answers 404, and serves nothing, to a request through a proxy or for another host name', async () => {
    for (const headers of [{ 'X-Forwarded-For': '203.0.113.9' }, { Forwarded: 'for=203.0.113.9' }, { Host: 'govbot.example.com' }]) {
      for (const path of ['/playground', '/playground/state', '/playground/feed', '/playground/adaptivecards.js']) {
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          http.get(`${base}${path}`, { headers }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => { body += c.toString(); });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          }).on('error', reject);
        });
        expect(answer, `${path} ${JSON.stringify(headers)}`).toEqual({ status: 404, body: 'Not found' });
      }
    }
  });

  it('records what govbot posts to its connector and hands it to the page in order', async () => {
    const post = await fetch(`${base}/playground/connector/v3/conversations/${encodeURIComponent('19:playground-committee@thread.tacv2')}/activities`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'hello' }),
    });
    expect(post.status).toBe(201);
    const { id } = await post.json() as { id: string };
    const feed = await (await fetch(`${base}/playground/feed?since=0`)).json() as { next: number; calls: { method: string; conversationId: string; createdId: string; body: { text: string } }[] };
    expect(feed.next).toBe(1);
    expect(feed.calls).toMatchObject([{ method: 'POST', conversationId: '19:playground-committee@thread.tacv2', createdId: id, body: { text: 'hello' } }]);
    expect((await (await fetch(`${base}/playground/feed?since=1`)).json() as { calls: unknown[] }).calls).toEqual([]);
  });
});
