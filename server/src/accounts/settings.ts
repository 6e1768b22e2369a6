import { encodeEvent, readSettings, type Settings, type SettingsPatch, type WireRecord } from '@imw/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { HandlerMap, RequestCosts } from '../core';
import { requireSession } from '../core';
import { type Db, tables } from '../db';

/**
 * Per-user settings (R-SET-*): one JSON object per user. The fields and their validation live in
 * shared (`settingFields`); this store only merges, so a new setting needs no server change.
 */
export class SettingsStore {
  constructor(private readonly db: Db) {}

  async get(userId: number): Promise<Settings> {
    const [row] = await this.db
      .select({ settings: tables.userSettings.settings })
      .from(tables.userSettings)
      .where(eq(tables.userSettings.userId, userId))
      .limit(1);
    return readSettings(row?.settings);
  }

  /** R-RCP-4: which of these users turned read receipts off (one query over the primary key). */
  async readReceiptsOff(userIds: readonly number[]): Promise<ReadonlySet<number>> {
    if (userIds.length === 0) return new Set();
    const col = tables.userSettings.settings;
    const found = await this.db
      .select({ userId: tables.userSettings.userId })
      .from(tables.userSettings)
      .where(
        and(
          inArray(tables.userSettings.userId, [...userIds]),
          sql`${col} -> 'readReceipts' = 'false'::jsonb`,
        ),
      );
    return new Set(found.map((r) => r.userId));
  }

  /**
   * R-SET-2: one statement, so two devices changing different fields at once both keep their
   * change (the row lock of ON CONFLICT serialises them; jsonb `||` merges, `-` clears).
   */
  async set(userId: number, patch: SettingsPatch): Promise<Settings> {
    const put: Record<string, unknown> = {};
    const clear: string[] = [];
    for (const [name, value] of Object.entries(patch)) {
      if (value === null) clear.push(name);
      else if (value !== undefined) put[name] = value;
    }
    const col = tables.userSettings.settings;
    const [row] = await this.db
      .insert(tables.userSettings)
      .values({ userId, settings: put })
      .onConflictDoUpdate({
        target: tables.userSettings.userId,
        set: {
          settings: sql`(${col} || excluded.settings) - (select coalesce(array_agg(k), '{}'::text[]) from jsonb_array_elements_text(${JSON.stringify(clear)}::jsonb) as k)`,
          updatedAt: sql`now()`,
        },
      })
      .returning({ settings: col });
    return readSettings(row?.settings);
  }
}

/** Delivery to the user's other sessions, on any node (presence implements it). */
export interface SettingsDelivery {
  route(userIds: readonly number[], records: readonly WireRecord[], opts: { exceptSession?: string }): void;
}

type Names = 'settings.get' | 'settings.set';

/** R-LIM-16: both touch the database. */
export const settingsCosts: RequestCosts<Names> = { 'settings.get': 'db', 'settings.set': 'db' };

export function settingsHandlers(store: SettingsStore, delivery: SettingsDelivery): HandlerMap<Names> {
  return {
    'settings.get': async (ctx) => ({ settings: await store.get(requireSession(ctx).userId) }),
    'settings.set': async (ctx, patch) => {
      const { userId, sessionId } = requireSession(ctx);
      const settings = await store.set(userId, patch);
      // R-SET-3: settings follow the user: every other session (device, tab) hears the new object.
      delivery.route([userId], [encodeEvent('settings.changed', { settings })], { exceptSession: sessionId });
      return { settings };
    },
  };
}
