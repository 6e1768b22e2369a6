import { useEffect, useState } from 'react';
import { useOpenConversation } from '../components/chat/ConversationPane';
import { ActionMenu } from '../components/world/ActionMenu';
import { NearbyList } from '../components/world/NearbyList';
import { SayForm } from '../components/world/SayForm';
import { SceneLog } from '../components/world/SceneLog';
import { WorldCanvas } from '../components/world/WorldCanvas';
import { ZoneNote } from '../components/world/ZoneNote';
import { useClient } from '../sdk-context';
import { useSignedIn } from '../session';
import { useStore } from '../state/store';
import { useMapName } from '../world/maps';
import { SceneController } from '../world/scene';

/** World mode: the map with the user's avatar, proximity chat and actions; conversations open beside it. */
export function WorldScreen() {
  const client = useClient();
  const { profile, sceneId } = useSignedIn();
  const [scene] = useState(
    () =>
      new SceneController(client, sceneId ?? '', {
        userId: profile.userId,
        displayName: profile.displayName,
      }),
  );
  const hud = useStore(scene, (h) => h);

  useEffect(() => {
    scene.start();
    return () => scene.stop();
  }, [scene]);

  useEffect(() => {
    scene.self.name = profile.displayName;
  }, [scene, profile.displayName]);

  const conversation = useOpenConversation(() => {
    window.location.hash = '#/';
  });
  const map = useMapName(hud.sceneId);

  // One tree whether or not a conversation is open, so the canvas is never re-created.
  return (
    <div className={conversation ? 'world-layout world-layout--with-chat' : 'world-layout'}>
      <div className="world">
        <div className="world-stage">
          <WorldCanvas
            scene={scene}
            label={`Map of ${map}. Move with the arrow keys or W A S D, or click where you want to go.`}
          />
          <div className="world-hud">
            <div className="chip chip--muted">{map}</div>
            <p className="chip" aria-live="polite">
              <span className="visually-hidden">Room: </span>
              {hud.room ?? 'Outside'}
            </p>
            <ZoneNote zone={hud.zone} />
            <NearbyList people={hud.nearby} />
          </div>
          <SceneLog lines={hud.log} />
          {hud.note && <p className="world-note">{hud.note}</p>}
          {hud.phase !== 'ready' && (
            <div className="world-overlay">
              {hud.phase === 'joining' ? (
                <p>Entering {map}…</p>
              ) : (
                <>
                  <p>{hud.error}</p>
                  <button type="button" className="button" onClick={() => void scene.join()}>
                    Try again
                  </button>
                </>
              )}
            </div>
          )}
        </div>
        <div className="world-bar">
          <SayForm onSay={(text) => scene.say(text)} />
          <ActionMenu onAction={(a) => void scene.act(a)} />
        </div>
      </div>
      {conversation && (
        <aside className="world-chat" aria-label="Conversation">
          {conversation}
        </aside>
      )}
    </div>
  );
}
