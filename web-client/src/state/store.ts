import { useSyncExternalStore } from 'react';

/**
 * The smallest external store React can read with useSyncExternalStore: an immutable snapshot
 * that is replaced (never mutated) on every change. State that protocol events change lives in
 * these classes, outside React, so an event is applied exactly once whichever components are
 * mounted (a message for a closed conversation still counts as unread).
 */
export class Store<S> {
  private readonly listeners = new Set<() => void>();

  constructor(private state: S) {}

  getSnapshot = (): S => this.state;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  protected get current(): S {
    return this.state;
  }

  protected update(next: (prev: S) => S): void {
    const state = next(this.state);
    if (state === this.state) return;
    this.state = state;
    for (const fn of [...this.listeners]) fn();
  }
}

/** Reads a store; `select` must return something stable (a part of the snapshot, or a primitive). */
export function useStore<S, T>(store: Store<S>, select: (state: S) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}
