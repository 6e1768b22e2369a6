/**
 * Web Audio for bubble calls: one AudioContext for the page, a level meter per stream (the
 * speaking indicator) and, with spatial audio on, each peer's voice through a gain (volume by
 * distance) and a stereo panner (left/right by where they stand).
 */
let shared: AudioContext | null = null;

function context(): AudioContext | null {
  if (typeof AudioContext === 'undefined') return null;
  shared ??= new AudioContext();
  if (shared.state === 'suspended') void shared.resume().catch(() => undefined);
  return shared;
}

/** Level above which a voice counts as speaking (RMS of the time-domain signal, 0..1). */
const SPEAKING_RMS = 0.02;

export interface PeerAudio {
  /** Whether the stream's audio is above the speaking level right now. */
  speaking(): boolean;
  /** Places the voice: dx, dy in map pixels from the listener, `hearingPx` where it fades out. */
  place(dx: number, dy: number, hearingPx: number): void;
  close(): void;
}

/**
 * Taps a stream: always measures its level; with `play` the voice goes out through the panner
 * (the caller mutes the element that shows the video, so it is not heard twice).
 */
export function tapStream(stream: MediaStream, play: boolean): PeerAudio | null {
  const ctx = context();
  if (!ctx || stream.getAudioTracks().length === 0) return null;
  const source = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const gain = ctx.createGain();
  const pan = ctx.createStereoPanner();
  if (play) {
    source.connect(gain);
    gain.connect(pan);
    pan.connect(ctx.destination);
  }
  const buf = new Float32Array(analyser.fftSize);
  return {
    speaking() {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      return Math.sqrt(sum / buf.length) > SPEAKING_RMS;
    },
    place(dx, dy, hearingPx) {
      const d = Math.hypot(dx, dy);
      // Full volume up close, a quarter at the edge of hearing: a bubble never goes silent.
      gain.gain.value = Math.max(0.25, 1 - (0.75 * d) / Math.max(1, hearingPx));
      pan.pan.value = Math.max(-1, Math.min(1, dx / Math.max(1, hearingPx / 2)));
    },
    close() {
      source.disconnect();
      gain.disconnect();
      pan.disconnect();
    },
  };
}
