import { useLayoutEffect, useRef } from 'react';
import type { LogLine } from '../../world/scene';

/** What was said nearby, as text: the canvas bubbles are not readable by assistive technology. */
export function SceneLog({ lines }: { lines: readonly LogLine[] }) {
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
      aria-label="Nearby chat"
    >
      {lines.map((l) => (
        <li key={l.id}>
          <strong>{l.own ? 'You' : l.name}:</strong> {l.text}
        </li>
      ))}
    </ol>
  );
}
