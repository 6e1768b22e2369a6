import type { ParamsIn, RequestName, Result, Settings, SettingsPatch } from '../protocol/packets';

/** What the settings API needs from the client: requests and the server's push. */
export interface SettingsPort {
  request<K extends RequestName>(name: K, params: ParamsIn<K>): Promise<Result<K>>;
  onChanged(fn: (settings: Settings) => void): () => void;
}

/**
 * `client.settings`: the user's settings that follow them across devices (R-SET-1..3). `set`
 * answers the whole object after the change; other sessions of the user get `onChange`.
 */
export class SettingsApi {
  constructor(private readonly port: SettingsPort) {}

  async get(): Promise<Settings> {
    return (await this.port.request('settings.get', {})).settings;
  }

  /** A field given sets it, `null` clears it back to the default, an absent one stays. */
  async set(patch: SettingsPatch): Promise<Settings> {
    return (await this.port.request('settings.set', patch)).settings;
  }

  /** Another session of this user changed the settings: the whole new object. */
  onChange(fn: (settings: Settings) => void): () => void {
    return this.port.onChanged(fn);
  }
}
