import { AVATARS } from '@imw/shared';

export type AvatarId = (typeof AVATARS)[number];

/**
 * How each avatar id the server accepts is drawn and named in the UI. Each has its own colour so
 * avatars stay distinguishable where no emoji font is installed.
 */
const AVATAR_META: Record<AvatarId, { emoji: string; label: string; color: string }> = {
  fox: { emoji: '🦊', label: 'Fox', color: '#ffe1c7' },
  cat: { emoji: '🐱', label: 'Cat', color: '#fff0b3' },
  owl: { emoji: '🦉', label: 'Owl', color: '#eadcff' },
  bear: { emoji: '🐻', label: 'Bear', color: '#f1dcc7' },
  frog: { emoji: '🐸', label: 'Frog', color: '#d3f5df' },
  panda: { emoji: '🐼', label: 'Panda', color: '#e4e6ea' },
  robot: { emoji: '🤖', label: 'Robot', color: '#d6e8ff' },
  ghost: { emoji: '👻', label: 'Ghost', color: '#f4f0fa' },
};

export const AVATAR_CHOICES = AVATARS.map((id) => ({ id, ...AVATAR_META[id] }));

/** Profiles carry the avatar as a plain string (older or future ids); only known ids are offered. */
export function isAvatarId(value: string): value is AvatarId {
  return (AVATARS as readonly string[]).includes(value);
}

export function avatarLook(value: string): { emoji: string; color: string } | null {
  return isAvatarId(value) ? AVATAR_META[value] : null;
}
