import { encodeEvent, type WireRecord } from '@imw/shared';
import { describe, expect, it } from 'vitest';
import { MemoryBus } from '../../src/cluster';
import { Delivery, type LocalDelivery, type PresenceRecord, type PresenceStore } from '../../src/presence';
import { waitFor } from '../support/wait';

const silent = {
  warn: () => undefined,
  info: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** Users 1 and 2 have a session on this node; user 3 is on no node. */
function setup(alone: boolean) {
  const lookups: number[][] = [];
  const delivered: Array<[number, number]> = [];
  const store = {
    async getMany(ids: readonly number[]) {
      lookups.push([...ids]);
      const out = new Map<number, PresenceRecord[]>();
      for (const id of ids)
        if (id !== 3)
          out.set(id, [
            {
              userId: id,
              sessionId: `s${id}`,
              nodeId: 'n1',
              status: 'online',
              mode: 'normal',
              sceneId: null,
              loginAtMs: 0,
              device: 'test',
            },
          ]);
      return out;
    },
  } as unknown as PresenceStore;
  const local: LocalDelivery = {
    deliverLocal: (userId, records) => {
      if (userId === 3) return false;
      for (const r of records) delivered.push([userId, r.typeId]);
      return true;
    },
    hasSession: (sessionId) => sessionId !== 's3',
    deliverToSession: () => true,
    releaseEnded: () => undefined,
    ownStatusChanged: () => undefined,
    deliverAllLocal: () => 0,
    holdForArrival: () => undefined,
    avatarEnteredElsewhere: () => undefined,
  };
  const caches = { invalidateUser: () => undefined, invalidateGroup: () => undefined };
  const delivery = new Delivery('n1', new MemoryBus(), store, local, caches, silent as never, alone);
  return { delivery, lookups, delivered };
}

const rec: WireRecord = encodeEvent('chat.system', { messageId: 'm1', text: 'hi', atMs: 1 });

describe('delivery lookups', () => {
  it('a node that is the whole cluster delivers to local users without asking the presence store', async () => {
    const { delivery, lookups, delivered } = setup(true);
    delivery.route([1, 2], [rec]);
    expect(delivered.map(([u]) => u)).toEqual([1, 2]);
    // An offline user is still looked up (a session may be on its way here).
    delivery.route([1, 3], [rec]);
    await waitFor('the lookup', () => lookups.length > 0);
    expect(lookups).toEqual([[3]]);
  });

  it('in a cluster every recipient is looked up: a user may have sessions here and elsewhere', async () => {
    const { delivery, lookups } = setup(false);
    delivery.route([1, 2], [rec]);
    await waitFor('the lookup', () => lookups.length > 0);
    expect(lookups).toEqual([[1, 2]]);
  });
});
