import { z } from 'zod';
import { empty, event, request } from '../schema';

/** The interface languages the web client ships (R-I18N-1). A tag from BCP 47. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * R-SET-1: a user's settings, one validated schema per field, every field optional: unset means
 * "the client's default". To add a setting, add one entry here (and a line in docs/PROTOCOL.md
 * §Settings); the server stores whatever this schema accepts, so no server change is needed.
 */
export const settingFields = {
  /** Interface language (R-I18N-3): follows the user to every device. */
  language: z.enum(LANGUAGES),
  /** R-RCP-4: false = send no read receipts, and see nobody's read state (default true). */
  readReceipts: z.boolean(),
  /** R-NOT-2: play a short sound for a new message (default false). */
  notifySound: z.boolean(),
  /** R-NOT-3: desktop notifications, per type (default false; the browser's permission is asked first). */
  notifyDirect: z.boolean(),
  notifyGroup: z.boolean(),
  notifyNearby: z.boolean(),
  notifyCall: z.boolean(),
} as const satisfies Record<string, z.ZodType>;

export type SettingName = keyof typeof settingFields;
export type Settings = { [K in SettingName]?: z.output<(typeof settingFields)[K]> };

/** The whole object: only known fields, each valid (unknown keys are refused: a typo is an error). */
export const settingsSchema = z
  .object(
    Object.fromEntries(Object.entries(settingFields).map(([k, v]) => [k, v.optional()])) as {
      [K in SettingName]: z.ZodOptional<(typeof settingFields)[K]>;
    },
  )
  .strict();

/**
 * A change: a field given sets it, `null` clears it back to the default, a field left out stays
 * as it is (R-SET-2).
 */
export const settingsPatch = z
  .object(
    Object.fromEntries(Object.entries(settingFields).map(([k, v]) => [k, v.nullable().optional()])) as {
      [K in SettingName]: z.ZodOptional<z.ZodNullable<(typeof settingFields)[K]>>;
    },
  )
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'settings.set: name at least one setting' });
export type SettingsPatch = z.output<typeof settingsPatch>;

/**
 * Reads stored settings leniently, field by field: a field a newer server wrote, or one whose
 * allowed values have since narrowed, is dropped instead of making the whole object unreadable.
 */
export function readSettings(raw: unknown): Settings {
  const out: Record<string, unknown> = {};
  if (typeof raw !== 'object' || raw === null) return {};
  for (const [name, schema] of Object.entries(settingFields)) {
    const value = (raw as Record<string, unknown>)[name];
    if (value === undefined) continue;
    const parsed = schema.safeParse(value);
    if (parsed.success) out[name] = parsed.data;
  }
  return out as Settings;
}

/** Applies a patch (R-SET-2): null clears a field, an absent one is kept. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  const next: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete next[name];
    else if (value !== undefined) next[name] = value;
  }
  return next as Settings;
}

const settingsResult = z.object({ settings: settingsSchema });

export const settingsRequests = {
  /** R-SET-1: the caller's settings (an empty object for a user who never set one). */
  'settings.get': request(200, empty, settingsResult),
  /** R-SET-2: changes some settings; answers the whole object after the change. */
  'settings.set': request(201, settingsPatch, settingsResult),
} as const;

export const settingsEvents = {
  /** R-SET-3: the user's settings changed on another of their sessions: the whole new object. */
  'settings.changed': event(1300, settingsResult),
} as const;
