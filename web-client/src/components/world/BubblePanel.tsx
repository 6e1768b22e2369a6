import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/useT';
import { tapStream } from '../../rtc/audio';
import type { BubbleCall } from '../../rtc/bubble';
import { useStore } from '../../state/store';
import type { SceneController } from '../../world/scene';
import { StreamVideo } from '../direct/StreamVideo';

/**
 * The user's bubble or meeting call: video tiles (with a speaking ring), shared screens as tiles
 * of their own, and the controls (camera and microphone on, audio only, mute, camera off, share
 * screen, lock, spatial audio, do not disturb). The server decides who is in the call.
 */
export function BubblePanel({ call, scene }: { call: BubbleCall; scene: SceneController }) {
  const { t } = useT();
  const s = useStore(call, (x) => x);
  const nameOf = (id: number) => scene.others.get(id)?.name ?? `#${id}`;
  const mine = s.mine;
  return (
    <section className="bubble-panel" aria-label={t('world:bubble.panel')}>
      <div className="bubble-controls">
        {s.mediaOn ? (
          <button type="button" className="button button--small" onClick={() => call.disableMedia()}>
            {t('world:bubble.mediaOff')}
          </button>
        ) : (
          <>
            <button type="button" className="button button--small" onClick={() => void call.enableMedia()}>
              {t('world:bubble.mediaOn')}
            </button>
            <label className="check">
              <input
                type="checkbox"
                checked={s.audioOnly}
                onChange={(e) => call.setAudioOnly(e.currentTarget.checked)}
              />
              {t('world:bubble.audioOnly')}
            </label>
          </>
        )}
        <label className="check">
          <input
            type="checkbox"
            checked={s.dnd}
            onChange={(e) => void call.setDnd(e.currentTarget.checked)}
          />
          {t('world:bubble.dnd')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={s.spatial}
            onChange={(e) => call.setSpatial(e.currentTarget.checked)}
          />
          {t('world:bubble.spatial')}
        </label>
      </div>
      {s.problem && <p className="world-note">{t('world:bubble.problem', { error: s.problem })}</p>}
      {s.refused && (
        <p className="chip chip--muted" aria-live="polite">
          {s.refused.meeting
            ? t('world:bubble.meetingFull')
            : s.refused.reason === 'full'
              ? t('world:bubble.full')
              : t('world:bubble.locked')}
        </p>
      )}
      {mine && (
        <div className="bubble-call">
          <p className="chip" aria-live="polite">
            {mine.meeting !== null
              ? t('world:bubble.inMeeting', { name: mine.meeting, count: mine.members.length })
              : t('world:bubble.inBubble', { count: mine.members.length })}
          </p>
          <div className="bubble-controls">
            {s.local && (
              <>
                <button
                  type="button"
                  className="button button--small"
                  aria-pressed={s.muted}
                  onClick={() => call.toggleMute()}
                >
                  {t('world:bubble.mute')}
                </button>
                {!s.audioOnly && (
                  <button
                    type="button"
                    className="button button--small"
                    aria-pressed={s.cameraOff}
                    onClick={() => call.toggleCamera()}
                  >
                    {t('world:bubble.cameraOff')}
                  </button>
                )}
              </>
            )}
            <button
              type="button"
              className="button button--small"
              aria-pressed={s.screen !== null}
              onClick={() => (s.screen ? call.stopScreen() : void call.shareScreen())}
            >
              {t('world:bubble.shareScreen')}
            </button>
            {mine.meeting === null && (
              <button
                type="button"
                className="button button--small"
                aria-pressed={mine.locked}
                onClick={() => void call.setLocked(!mine.locked)}
              >
                {t('world:bubble.lock')}
              </button>
            )}
          </div>
          <div className="bubble-tiles">
            {s.local && (
              <Tile stream={s.local} label={t('world:bubble.you')} local spatial={false} scene={scene} />
            )}
            {s.screen && (
              <StreamVideo
                stream={s.screen}
                label={t('world:bubble.yourScreen')}
                muted
                className="video--screen"
              />
            )}
            {s.peers.map((p) => (
              <div key={p.id} className="bubble-peer">
                {p.stream ? (
                  <Tile
                    stream={p.stream}
                    label={t('world:bubble.videoOf', { name: nameOf(p.id) })}
                    peerId={p.id}
                    spatial={s.spatial}
                    scene={scene}
                  />
                ) : (
                  <p className="chip chip--muted">{t('world:bubble.connecting', { name: nameOf(p.id) })}</p>
                )}
                {p.screen && (
                  <StreamVideo
                    stream={p.screen}
                    label={t('world:bubble.screenOf', { name: nameOf(p.id) })}
                    muted
                    className="video--screen"
                  />
                )}
              </div>
            ))}
          </div>
        </div>
      )}
    </section>
  );
}

/** One video tile with the speaking ring; a peer's voice is placed by where it stands (spatial). */
function Tile({
  stream,
  label,
  local = false,
  peerId,
  spatial,
  scene,
}: {
  stream: MediaStream;
  label: string;
  local?: boolean;
  peerId?: number;
  spatial: boolean;
  scene: SceneController;
}) {
  const [speaking, setSpeaking] = useState(false);
  const sceneRef = useRef(scene);
  useEffect(() => {
    // With spatial audio, Web Audio plays the voice and the element stays muted.
    const tap = tapStream(stream, spatial && !local);
    if (!tap) return;
    const timer = setInterval(() => {
      setSpeaking(tap.speaking());
      const other = peerId === undefined ? undefined : sceneRef.current.others.get(peerId);
      const me = sceneRef.current.self;
      if (other) tap.place(other.x - me.x, other.y - me.y, sceneRef.current.map?.hearingRadiusPx ?? 192);
    }, 150);
    return () => {
      clearInterval(timer);
      tap.close();
    };
  }, [stream, spatial, local, peerId]);
  return (
    <div className={speaking ? 'bubble-tile bubble-tile--speaking' : 'bubble-tile'} data-speaking={speaking}>
      <StreamVideo
        stream={stream}
        label={label}
        muted={local || spatial}
        className={local ? 'video--local' : ''}
      />
    </div>
  );
}
