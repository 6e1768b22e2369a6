/** A tiny typed emitter: listeners are called synchronously in subscription order. */
export class Emitter<M extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof M, Set<(v: never) => void>>();

  on<K extends keyof M>(name: K, fn: (value: M[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(fn as (v: never) => void);
    return () => set.delete(fn as (v: never) => void);
  }

  emit<K extends keyof M>(name: K, value: M[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const fn of [...set]) (fn as (v: M[K]) => void)(value);
  }
}
