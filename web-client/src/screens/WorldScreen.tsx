import { Icon } from '../components/Icon';
import { sceneLabel } from '../config';
import { useSignedIn } from '../session';

/** World mode's main area. A placeholder until the scene renderer arrives with the scene packets. */
export function WorldScreen() {
  const { sceneId } = useSignedIn();
  const map = sceneLabel(sceneId ?? 'plaza');
  return (
    <div className="page page--world">
      <div className="page-header">
        <h1>World · {map}</h1>
      </div>
      <div className="world-stage">
        <div className="placeholder">
          <span className="placeholder-icon">
            <Icon name="map" size={34} />
          </span>
          <p>The 2D map of {map} will appear here.</p>
        </div>
      </div>
    </div>
  );
}
