import type { CSSProperties } from 'react';
import { avatarLook } from '../lib/avatars';

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
  // An id this client does not know (newer server) falls back to the name's initial.
  const style = look ? ({ '--avatar-bg': look.color } as CSSProperties) : undefined;
  return (
    <span className={`avatar avatar--${size}`} style={style} aria-hidden="true">
      {look?.emoji ?? (name.trim()[0] ?? '?').toUpperCase()}
    </span>
  );
}
