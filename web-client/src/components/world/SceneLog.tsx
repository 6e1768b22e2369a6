import { useLayoutEffect, useRef } from 'react';
import { useT } from '../../i18n/useT';
import type { LogLine } from '../../world/scene';

/** What was said nearby, as text: the canvas bubbles are not readable by assistive technology. */
export function SceneLog({ lines }: { lines: readonly LogLine[] }) {
  const { t } = useT();
  const ref = useRef<HTMLOListElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && lines.length > 0) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <ol
      ref={ref}
      className={lines.length ? 'scene-log' : 'scene-log scene-log--empty'}
      role="log"
      aria-label={t('world:log')}
    >
      {lines.map((l) => (
        <li key={l.id}>
          <strong>{t('world:logLine', { name: l.own ? t('chat:you') : l.name })}</strong> {l.text}
        </li>
      ))}
    </ol>
  );
}
