import { applySettingsPatch, type Settings, type SettingsPatch } from '@imw/shared';
import type { ImClient } from '@imw/shared/sdk';
import { Store } from './store';

export interface PrefsState {
  readonly settings: Settings;
  readonly loaded: boolean;
}

/**
 * The user's settings that follow them across devices (R-SET-*): read receipts and notifications
 * (R-RCP-4, R-NOT-*). Loaded once per login; other devices' changes arrive as settings.changed.
 */
export class PrefsStore extends Store<PrefsState> {
  private off: (() => void) | null = null;

  constructor(private readonly client: ImClient) {
    super({ settings: {}, loaded: false });
  }

  start(): void {
    if (this.off) return;
    this.off = this.client.settings.onChange((settings) => this.update((s) => ({ ...s, settings })));
    this.client.settings
      .get()
      .then((settings) => this.update(() => ({ settings, loaded: true })))
      .catch((e: unknown) => console.warn('could not load settings', e));
  }

  stop(): void {
    this.off?.();
    this.off = null;
  }

  /** Shows the change at once; the server's answer replaces it, a failure puts the old one back. */
  async set(patch: SettingsPatch): Promise<void> {
    const before = this.current.settings;
    this.update((s) => ({ ...s, settings: applySettingsPatch(s.settings, patch) }));
    try {
      const settings = await this.client.settings.set(patch);
      this.update(() => ({ settings, loaded: true }));
    } catch (e) {
      this.update((s) => ({ ...s, settings: before }));
      throw e;
    }
  }
}
