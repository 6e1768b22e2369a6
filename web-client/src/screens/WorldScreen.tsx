import { useEffect, useState } from 'react';
import { useOpenConversation } from '../components/chat/ConversationPane';
import { ActionMenu } from '../components/world/ActionMenu';
import { BubblePanel } from '../components/world/BubblePanel';
import { NearbyList } from '../components/world/NearbyList';
import { SayForm } from '../components/world/SayForm';
import { SceneLog } from '../components/world/SceneLog';
import { WorldCanvas } from '../components/world/WorldCanvas';
import { ZoneNote } from '../components/world/ZoneNote';
import { useT } from '../i18n/useT';
import { BubbleCall } from '../rtc/bubble';
import { useClient } from '../sdk-context';
import { useSignedIn } from '../session';
import { useStore } from '../state/store';
import { useMapName } from '../world/maps';
import { SceneController } from '../world/scene';

declare global {
  interface Window {
    /** For end-to-end tests: the user's bubble (member ids) and its peer connections. */
    __imwBubble?: {
      mine(): readonly number[] | null;
      connections(): Map<number, RTCPeerConnection>;
      signalsSent(): number;
    };
  }
}

/** World mode: the map with the user's avatar, proximity chat and actions; conversations open beside it. */
export function WorldScreen() {
  const { t } = useT();
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
  const [call] = useState(() => new BubbleCall(client, profile.userId));

  useEffect(() => {
    // The call listens first: bubble events follow the join's answer at once.
    call.start();
    scene.start();
    // The map draws the bubbles the call store knows of.
    const offBubbles = call.subscribe(() => {
      scene.conversations = [...call.getSnapshot().bubbles.values()]
        .filter((b) => b.meeting === null)
        .map((b) => b.members);
    });
    window.__imwBubble = {
      mine: () => call.getSnapshot().mine?.members ?? null,
      connections: () => call.connections(),
      signalsSent: () => call.signalsSent,
    };
    return () => {
      offBubbles();
      scene.stop();
      call.stop();
      delete window.__imwBubble;
    };
  }, [scene, call]);

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
          <WorldCanvas scene={scene} label={t('world:canvas', { map })} />
          <div className="world-hud">
            <div className="chip chip--muted">{map}</div>
            <p className="chip" aria-live="polite">
              <span className="visually-hidden">{t('world:room')}</span>
              {hud.room ?? t('world:outside')}
            </p>
            <ZoneNote zone={hud.zone} />
            <NearbyList people={hud.nearby} />
          </div>
          <SceneLog lines={hud.log} />
          {hud.note && <p className="world-note">{t(hud.note.key, hud.note.values)}</p>}
          {hud.phase !== 'ready' && (
            <div className="world-overlay">
              {hud.phase === 'joining' ? (
                <p>{t('world:entering', { map })}</p>
              ) : (
                <>
                  <p>{hud.error ? t(hud.error.key, hud.error.values) : null}</p>
                  <button type="button" className="button" onClick={() => void scene.join()}>
                    {t('common:tryAgain')}
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
        <BubblePanel call={call} scene={scene} />
      </div>
      {conversation && (
        <aside className="world-chat" aria-label={t('chat:conversation')}>
          {conversation}
        </aside>
      )}
    </div>
  );
}
