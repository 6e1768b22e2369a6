/**
 * A port between modules that is set once, in the composition root's wire step, because the two
 * sides need each other (the gateway dispatches to modules that send through the gateway). Using
 * it before it is bound is a bug, and throws instead of dropping packets silently.
 */
export class Port<T extends object> {
  private impl: T | null = null;

  constructor(readonly name: string) {}

  bind(impl: T): void {
    if (this.impl) throw new Error(`port ${this.name} is bound already`);
    this.impl = impl;
  }

  get use(): T {
    if (!this.impl) throw new Error(`port ${this.name} used before it was wired`);
    return this.impl;
  }
}
