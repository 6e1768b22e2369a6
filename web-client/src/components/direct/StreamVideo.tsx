import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/useT';

/**
 * A <video> showing a MediaStream. Browsers may refuse to autoplay sound without a user gesture:
 * the video then plays muted and offers a button to turn the sound on.
 */
export function StreamVideo({
  stream,
  label,
  muted = false,
  className,
}: {
  stream: MediaStream;
  label: string;
  muted?: boolean;
  className?: string;
}) {
  const { t } = useT();
  const ref = useRef<HTMLVideoElement>(null);
  const [forcedMute, setForcedMute] = useState(false);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    video.srcObject = stream;
    video.play().catch((e: unknown) => {
      if (!(e instanceof DOMException) || e.name !== 'NotAllowedError' || video.muted) return;
      video.muted = true;
      setForcedMute(true);
      void video.play().catch(() => undefined);
    });
    return () => {
      video.srcObject = null;
    };
  }, [stream]);

  return (
    <div className={`video ${className ?? ''}`}>
      <video ref={ref} aria-label={label} autoPlay playsInline muted={muted || forcedMute} />
      {forcedMute && !muted && (
        <button
          type="button"
          className="button button--small video-unmute"
          onClick={() => {
            setForcedMute(false);
            void ref.current?.play();
          }}
        >
          {t('calls:video.soundOn')}
        </button>
      )}
    </div>
  );
}
