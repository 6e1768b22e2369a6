import type { Fail, PropertyValue } from './tmj';

/**
 * Map properties both conventions read, and the defaults used when a map has none
 * (docs/OPERATIONS.md, "Maps"). One place, so the server and the web client can never disagree.
 */
export const MAP_DEFAULTS = {
  /** WorkAdventure maps only; our own maps must state their radii and speed. */
  viewRadiusPx: 320,
  hearingRadiusPx: 192,
  maxSpeedPxPerSec: 240,
  /** Both conventions: `conversationDistance` and `bubbleRadius` are optional map properties. */
  conversationDistancePx: 64,
  bubbleRadiusPx: 48,
} as const;

export interface MapMeta {
  readonly name: string;
  readonly description: string;
  readonly copyright: string;
  readonly conversationDistancePx: number;
  readonly bubbleRadiusPx: number;
}

/** A number > 0, else `fallback`; without a fallback the property is required. */
export function positiveNumber(
  props: ReadonlyMap<string, PropertyValue>,
  name: string,
  fallback: number | undefined,
  fail: Fail,
): number {
  const v = props.get(name);
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    return fail(`map property ${name} must be a number > 0`);
  }
  return v;
}

/** mapName, mapDescription, mapCopyright, conversationDistance, bubbleRadius. */
export function readMeta(props: ReadonlyMap<string, PropertyValue>, id: string, fail: Fail): MapMeta {
  const text = (name: string, max: number): string => {
    const v = props.get(name);
    if (v === undefined) return '';
    if (typeof v !== 'string') return fail(`map property ${name} must be a string`);
    return v.trim().slice(0, max);
  };
  return {
    name: text('mapName', 64) || id,
    description: text('mapDescription', 500),
    copyright: text('mapCopyright', 500),
    conversationDistancePx: positiveNumber(
      props,
      'conversationDistance',
      MAP_DEFAULTS.conversationDistancePx,
      fail,
    ),
    bubbleRadiusPx: positiveNumber(props, 'bubbleRadius', MAP_DEFAULTS.bubbleRadiusPx, fail),
  };
}
