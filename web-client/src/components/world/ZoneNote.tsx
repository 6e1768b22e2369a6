import { useT } from '../../i18n/useT';
import type { HudZone } from '../../world/scene';

/**
 * What the map says about where the user stands: a silent zone, a meeting room, and a website
 * the map offers there. R-MAP-6: the website is only offered, as a link the user may follow in a
 * new tab; nothing opens by itself.
 */
export function ZoneNote({ zone }: { zone: HudZone }) {
  const { t } = useT();
  if (!zone.silent && zone.meeting === null && zone.link === null) return null;
  return (
    <>
      {zone.silent && (
        <p className="chip chip--muted" aria-live="polite">
          {t('world:zone.silent')}
        </p>
      )}
      {zone.meeting !== null && (
        <p className="chip chip--muted">{t('world:zone.meeting', { name: zone.meeting })}</p>
      )}
      {zone.link && (
        <a className="chip" href={zone.link.url} target="_blank" rel="noopener noreferrer">
          {t('world:zone.openWebsite', { name: zone.link.name })}
          <span className="visually-hidden"> ({t('world:zone.newTab')})</span>
        </a>
      )}
    </>
  );
}
