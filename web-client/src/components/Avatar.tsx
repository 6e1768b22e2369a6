import type { CSSProperties } from 'react';
import { avatarLook, canShowEmoji } from '../lib/avatars';

/** The round avatar. Decorative: whoever shows it also shows the name. */
export function Avatar({
  avatar,
  name,
  size = 'md',
}: {
  avatar: string;
  name: string;
  size?: 'sm' | 'md' | 'lg';
}) {
  const look = avatarLook(avatar);
  // An id this client does not know (newer server), or a machine without an emoji font, falls
  // back to the name's initial.
  const style = look ? ({ '--avatar-bg': look.color } as CSSProperties) : undefined;
  const emoji = look && canShowEmoji() ? look.emoji : null;
  return (
    <span className={`avatar avatar--${size}`} style={style} aria-hidden="true">
      {emoji ?? (name.trim()[0] ?? '?').toUpperCase()}
    </span>
  );
}
