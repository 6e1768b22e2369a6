import { afterEach, describe, expect, it } from 'vitest';
import type { EventBody } from '../src';
import { ImClient } from '../src/sdk';
import { nodeSocketFactory } from '../src/sdk/node';
import { type FakeEvent, type FakeServer, startFakeServer } from './support/fake-server';

const PASSWORD = 'hunter2';
const ad = (messageId: string, link?: string): FakeEvent => ({
  name: 'chat.ad',
  body: { messageId, title: 'Ad', text: 'Buy', atMs: 1, ...(link === undefined ? {} : { link }) },
});

/**
 * R-SEC-4 (review I10): the admin API only takes http(s) links for ads, and the SDK checks the
 * same on the way in, so an application that renders `link` as an href never gets `javascript:`.
 */
describe('R-SEC-4: the SDK accepts only http(s) ad links', () => {
  let fake: FakeServer | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it('R-SEC-4: an ad whose link is not http(s) never reaches the application; good ones do', async () => {
    fake = await startFakeServer({ password: PASSWORD });
    const c = new ImClient({
      url: fake.url,
      socketFactory: nodeSocketFactory,
      reconnect: { enabled: false },
      heartbeat: false,
    });
    const ads: EventBody<'chat.ad'>[] = [];
    c.on('chat.ad', (e) => ads.push(e));
    await c.connect();
    await c.login('victim', PASSWORD);
    await fake.sendEvents([
      ad('js', 'javascript:alert(document.cookie)'),
      ad('js-case', ' JavaScript:alert(1)'),
      ad('data', 'data:text/html,<script>alert(1)</script>'),
      ad('relative', '/admin'),
      ad('https', 'https://shop.example/sale?x=1'),
      ad('http', 'http://shop.example/'),
      ad('none'),
    ]);
    // A round trip after the ads: everything before it has been handled.
    await c.request('sys.heartbeat', {});
    expect(ads.map((a) => a.messageId)).toEqual(['https', 'http', 'none']);
    c.close();
  });
});
