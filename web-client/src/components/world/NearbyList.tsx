import { useT } from '../../i18n/useT';
import { colorFor } from '../../world/renderer';

/** Who is in view right now, as a list (the accessible counterpart of the avatars on the map). */
export function NearbyList({ people }: { people: readonly { id: number; name: string }[] }) {
  const { t } = useT();
  return (
    <details className="nearby">
      <summary>{t('world:nearby.title', { count: people.length })}</summary>
      {people.length === 0 ? (
        <p className="nearby-empty">{t('world:nearby.empty')}</p>
      ) : (
        <ul className="plain-list" aria-label={t('world:nearby.list')}>
          {people.map((p) => (
            <li key={p.id}>
              <span className="nearby-dot" style={{ background: colorFor(p.id) }} aria-hidden="true" />
              {p.name}
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
