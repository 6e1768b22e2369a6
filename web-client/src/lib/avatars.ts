import { AVATARS } from '@imw/shared';

export type AvatarId = (typeof AVATARS)[number];

/**
 * How each avatar id the server accepts is drawn and named in the UI. Each has its own colour so
 * avatars stay distinguishable where no emoji font is installed.
 */
const AVATAR_META: Record<AvatarId, { emoji: string; label: `account:avatar.${AvatarId}`; color: string }> = {
  fox: { emoji: '🦊', label: 'account:avatar.fox', color: '#ffe1c7' },
  cat: { emoji: '🐱', label: 'account:avatar.cat', color: '#fff0b3' },
  owl: { emoji: '🦉', label: 'account:avatar.owl', color: '#eadcff' },
  bear: { emoji: '🐻', label: 'account:avatar.bear', color: '#f1dcc7' },
  frog: { emoji: '🐸', label: 'account:avatar.frog', color: '#d3f5df' },
  panda: { emoji: '🐼', label: 'account:avatar.panda', color: '#e4e6ea' },
  robot: { emoji: '🤖', label: 'account:avatar.robot', color: '#d6e8ff' },
  ghost: { emoji: '👻', label: 'account:avatar.ghost', color: '#f4f0fa' },
};

export const AVATAR_CHOICES = AVATARS.map((id) => ({ id, ...AVATAR_META[id] }));

/** Profiles carry the avatar as a plain string (older or future ids); only known ids are offered. */
export function isAvatarId(value: string): value is AvatarId {
  return (AVATARS as readonly string[]).includes(value);
}

export function avatarLook(value: string): { emoji: string; color: string } | null {
  return isAvatarId(value) ? AVATAR_META[value] : null;
}

let emojiSupport: boolean | null = null;

/**
 * Whether this machine has a colour emoji font. Many Linux desktops (and CI) have none and draw
 * an emoji as an empty box; avatars then show the name's initial on the avatar's colour instead.
 */
export function canShowEmoji(): boolean {
  if (emojiSupport !== null) return emojiSupport;
  emojiSupport = true;
  try {
    const canvas = document.createElement('canvas');
    canvas.width = 20;
    canvas.height = 20;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return emojiSupport;
    ctx.textBaseline = 'top';
    ctx.font = '16px sans-serif';
    ctx.fillStyle = '#000';
    ctx.fillText('\u{1F98A}', 0, 0);
    const px = ctx.getImageData(0, 0, 20, 20).data;
    // A colour glyph has coloured pixels; a missing-glyph box is drawn in the (black) text colour.
    let coloured = false;
    for (let i = 0; i < px.length && !coloured; i += 4) {
      coloured = px[i + 3]! > 0 && (px[i] !== px[i + 1] || px[i + 1] !== px[i + 2]);
    }
    emojiSupport = coloured;
  } catch {
    // No canvas (tests, old browsers): keep the emoji.
  }
  return emojiSupport;
}
