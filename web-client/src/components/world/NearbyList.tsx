import { colorFor } from '../../world/renderer';

/** Who is in view right now, as a list (the accessible counterpart of the avatars on the map). */
export function NearbyList({ people }: { people: readonly { id: number; name: string }[] }) {
  return (
    <details className="nearby">
      <summary>Nearby ({people.length})</summary>
      {people.length === 0 ? (
        <p className="nearby-empty">Nobody in view. Walk around to meet people.</p>
      ) : (
        <ul className="plain-list" aria-label="People nearby">
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
