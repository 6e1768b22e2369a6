import { afterEach, describe, expect, it } from 'vitest';
import { type ClientState, ImClient, ImError } from '../src/sdk';
import { nodeSocketFactory } from '../src/sdk/node';
import { type FakeEvent, type FakeServer, startFakeServer } from './support/fake-server';

const PASSWORD = 'hunter2';
const ATTACKER = 'ws://attacker.example/ws';

const notice = (text: string): FakeEvent => ({
  name: 'chat.system',
  body: { messageId: `m-${text}`, text, atMs: 1 },
});
const nodes = (...list: string[]): FakeEvent => ({ name: 'sys.nodes', body: { nodes: list } });

/** A client that records every event with the state the client was in when it heard it. */
function recordingClient(url: string) {
  const c = new ImClient({
    url,
    socketFactory: nodeSocketFactory,
    reconnect: { enabled: false },
    heartbeat: false,
    requestTimeoutMs: 3000,
  });
  const heard: { what: string; state: ClientState['status'] }[] = [];
  c.on('chat.system', (e) => heard.push({ what: `notice ${e.text}`, state: c.state.status }));
  c.on('sys.nodes', (e) => heard.push({ what: `nodes ${e.nodes.join(' ')}`, state: c.state.status }));
  return { c, heard };
}

/**
 * R-SEC-2, R-SEC-3 (review L4): a man in the middle that swapped in its own X25519 key cannot sign
 * the login result, but it knows the receive key (it comes from its own secret and the public auth
 * message), so it can put events in front of a bogus result; before login it can write any
 * plaintext. Nothing of that may reach the application or the fallback list.
 */
describe('R-SEC-2, R-SEC-3: the SDK acts on nothing the server has not authenticated', () => {
  let fake: FakeServer | null = null;
  afterEach(async () => {
    await fake?.close();
    fake = null;
  });

  it('R-SEC-2: events ahead of a bogus login result are dropped; R-SEC-3: so are the plaintext node lists', async () => {
    fake = await startFakeServer({
      helloNodes: [ATTACKER],
      preLogin: [nodes(ATTACKER), notice('before login')],
      beforeResult: [nodes(ATTACKER), notice('phish')],
      afterResult: [notice('after')],
    });
    const { c, heard } = recordingClient(fake.url);
    await c.connect();
    const err = await c.login('victim', PASSWORD).catch((e: unknown) => e);
    expect(err instanceof ImError && err.code).toBe('SERVER_AUTH_FAILED');
    // The whole first encrypted frame was handled before the login could fail.
    expect(heard).toEqual([]);
    expect(c.fallbacks).toEqual([]);
  });

  it('R-SEC-2: events in the first frame of a verified login are held until it verifies, then delivered in order', async () => {
    fake = await startFakeServer({
      password: PASSWORD,
      helloNodes: [ATTACKER],
      preLogin: [nodes(ATTACKER)],
      beforeResult: [notice('early')],
      afterResult: [nodes('ws://n2.example/ws'), notice('late')],
    });
    const { c, heard } = recordingClient(fake.url);
    await c.connect();
    await c.login('victim', PASSWORD);
    expect(heard).toEqual([
      { what: 'notice early', state: 'authenticated' },
      { what: 'nodes ws://n2.example/ws', state: 'authenticated' },
      { what: 'notice late', state: 'authenticated' },
    ]);
    // R-SEC-3: the list comes from the authenticated sys.nodes, never from the hello.
    expect(c.fallbacks).toEqual(['ws://n2.example/ws']);
    await fake.sendEvents([nodes('ws://n3.example/ws')]);
    await c.request('sys.heartbeat', {});
    expect(c.fallbacks).toEqual(['ws://n3.example/ws']);
    c.close();
  });
});
