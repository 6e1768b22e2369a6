import { describe, expect, test } from 'vitest';
import { bubbleWorld } from './bubble-fixtures';

describe('R-BUB-2: forming and joining bubbles', () => {
  test('two players who stop within the conversation distance form a bubble; a third joins it', () => {
    const { w, put, settle, bubbleOf } = bubbleWorld();
    put(1, 100, 100);
    put(2, 150, 100);
    expect(bubbleOf(1)).toBeNull(); // not yet: nobody has stopped
    settle();
    expect(bubbleOf(1)).toEqual([1, 2]);
    expect(w.sameBubble(1, 2)).toBe(true);
    put(3, 125, 130);
    settle();
    expect(bubbleOf(3)).toEqual([1, 2, 3]);
    const [b] = w.allBubbles();
    expect(b!.centre).toEqual({ x: 125, y: 110 });
  });

  test('players farther apart than the conversation distance stay apart', () => {
    const { put, settle, bubbleOf } = bubbleWorld();
    put(1, 100, 100);
    put(2, 165, 100);
    settle();
    expect(bubbleOf(1)).toBeNull();
    expect(bubbleOf(2)).toBeNull();
  });

  test('a moving player is not pulled in until it stops', () => {
    const { put, settle, settleNow, bubbleOf } = bubbleWorld();
    put(1, 100, 100);
    put(2, 150, 100);
    settleNow(); // 1 has stood still for a while; 2 has just stepped
    expect(bubbleOf(2)).toBeNull();
    settle();
    expect(bubbleOf(2)).toEqual([1, 2]);
  });

  test('the newcomer joins the nearest bubble, not a farther free player', () => {
    const { put, settle, bubbleOf } = bubbleWorld();
    put(1, 100, 60);
    put(2, 130, 60);
    settle();
    put(3, 190, 60); // free, 65 from the pair's nearest member
    settle();
    expect(bubbleOf(3)).toBeNull();
    put(4, 150, 70); // bubble centre (115, 60) is 36 away; player 3 is 41 away
    settle();
    expect(bubbleOf(4)).toEqual([1, 2, 4]);
  });
});

describe('R-BUB-3: leaving, dissolving, cap and lock', () => {
  test('a member who walks farther than the radius leaves; a bubble of one dissolves', () => {
    const { w, put, settle, bubbleOf } = bubbleWorld();
    put(1, 100, 100);
    put(2, 140, 100);
    put(3, 120, 130);
    settle();
    expect(bubbleOf(1)).toEqual([1, 2, 3]);
    w.takeBubbleChanges();
    put(3, 120, 230 - 40);
    expect(bubbleOf(1)).toEqual([1, 2]);
    expect(bubbleOf(3)).toBeNull();
    const changes = w.takeBubbleChanges();
    expect([...changes.changed.values()].flatMap((lost) => [...lost].map((p) => p.userId))).toContain(3);
    put(2, 200, 100);
    expect(bubbleOf(1)).toBeNull();
    expect(w.allBubbles()).toEqual([]);
  });

  test('a full bubble refuses a newcomer, who is told so; the cap comes from the options', () => {
    const { w, put, settle, bubbleOf } = bubbleWorld(3);
    put(1, 100, 100);
    put(2, 130, 100);
    put(3, 115, 125);
    settle();
    expect(bubbleOf(1)).toEqual([1, 2, 3]);
    w.takeBubbleChanges();
    put(4, 115, 80);
    settle();
    expect(bubbleOf(4)).toBeNull();
    const { refused } = w.takeBubbleChanges();
    expect(refused).toEqual([{ userId: 4, bubbleId: w.bubbleOf(1)!.bubbleId, reason: 'full' }]);
    expect(w.joinBubble(4, w.bubbleOf(1)!.bubbleId)).toBe('full');
  });

  test('members can lock a bubble: nobody joins, by settling or by asking', () => {
    const { w, put, settle, bubbleOf } = bubbleWorld();
    put(1, 100, 100);
    put(2, 130, 100);
    settle();
    expect(w.lockBubble(1, true)).toBeNull();
    expect(w.bubbleOf(2)!.locked).toBe(true);
    put(3, 115, 120);
    settle();
    expect(bubbleOf(3)).toBeNull();
    expect(w.takeBubbleChanges().refused).toEqual([
      { userId: 3, bubbleId: w.bubbleOf(1)!.bubbleId, reason: 'locked' },
    ]);
    expect(w.joinBubble(3, w.bubbleOf(1)!.bubbleId)).toBe('locked');
    expect(w.lockBubble(3, true)).toBe('notInBubble');
    expect(w.lockBubble(2, false)).toBeNull();
    expect(w.joinBubble(3, w.bubbleOf(1)!.bubbleId)).toBeNull();
    expect(bubbleOf(3)).toEqual([1, 2, 3]);
  });

  test('asking to join a bubble out of reach or one that does not exist is refused', () => {
    const { w, put, settle } = bubbleWorld();
    put(1, 100, 100);
    put(2, 130, 100);
    settle();
    put(3, 200, 200);
    expect(w.joinBubble(3, w.bubbleOf(1)!.bubbleId)).toBe('tooFar');
    expect(w.joinBubble(3, 'b999')).toBe('notFound');
  });

  test('leaving the world leaves the bubble', () => {
    const { w, put, settle, bubbleOf } = bubbleWorld();
    put(1, 100, 100);
    put(2, 130, 100);
    settle();
    w.leave(2);
    expect(bubbleOf(1)).toBeNull();
  });
});

describe('R-BUB-4: sub-areas, silent zones and do not disturb', () => {
  test('players on both sides of a room boundary never share a bubble', () => {
    const { put, settle, bubbleOf } = bubbleWorld();
    put(1, 240, 60); // West
    put(2, 272, 60); // East, 32 px away
    settle();
    expect(bubbleOf(1)).toBeNull();
  });

  test('a member who crosses into another room leaves at once', () => {
    const { put, settle, bubbleOf } = bubbleWorld();
    put(1, 220, 60);
    put(2, 250, 60);
    settle();
    expect(bubbleOf(1)).toEqual([1, 2]);
    put(2, 260, 60);
    expect(bubbleOf(1)).toBeNull();
  });

  test('nobody forms a bubble in a silent zone; walking into one leaves the bubble', () => {
    const { put, settle, bubbleOf } = bubbleWorld();
    put(1, 20, 220);
    put(2, 40, 220);
    settle();
    expect(bubbleOf(1)).toBeNull();
    put(1, 80, 180);
    put(2, 100, 180);
    settle();
    expect(bubbleOf(1)).toEqual([1, 2]);
    put(1, 60, 200); // into Quiet
    expect(bubbleOf(2)).toBeNull();
  });

  test('"do not disturb" is never pulled in, and leaves when set', () => {
    const { w, put, settle, bubbleOf } = bubbleWorld();
    put(1, 100, 100);
    w.setDnd(1, true);
    put(2, 130, 100);
    settle();
    expect(bubbleOf(2)).toBeNull();
    w.setDnd(1, false);
    settle();
    expect(bubbleOf(1)).toEqual([1, 2]);
    w.setDnd(2, true);
    expect(bubbleOf(1)).toBeNull();
  });
});

describe('R-BUB-6: meeting areas', () => {
  test('everyone inside a meeting area is in its one call, wherever they stand; past the cap it is full', () => {
    const { w, put, bubbleOf } = bubbleWorld(3);
    put(1, 270, 140);
    expect(w.bubbleOf(1)).toMatchObject({ bubbleId: 'm:standup', meeting: 'standup', members: [1] });
    put(2, 500, 250);
    put(3, 380, 200);
    expect(bubbleOf(1)).toEqual([1, 2, 3]);
    w.takeBubbleChanges();
    put(4, 300, 200);
    expect(bubbleOf(4)).toBeNull();
    expect(w.takeBubbleChanges().refused).toEqual([{ userId: 4, bubbleId: 'm:standup', reason: 'full' }]);
    expect(w.lockBubble(1, true)).toBe('meeting');
    // Out of the area: out of the meeting.
    put(2, 500, 100);
    expect(bubbleOf(1)).toEqual([1, 3]);
    put(1, 300, 100);
    put(3, 300, 100);
    expect(w.allBubbles().filter((b) => b.meeting !== null)).toEqual([]);
  });
});
