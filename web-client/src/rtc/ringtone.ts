/**
 * The ring of an incoming call (#19), generated with Web Audio: two short two-tone bursts every
 * few seconds, no sound file to ship or fetch. `start` is idempotent; `stop` silences at once.
 */
const PATTERN_MS = 3000;
const TONES_HZ = [440, 480] as const;
const BURST_S = 0.4;
const GAP_S = 0.2;
const VOLUME = 0.08;

let context: AudioContext | null = null;
let timer: ReturnType<typeof setInterval> | null = null;

function burst(ctx: AudioContext, at: number): void {
  const gain = ctx.createGain();
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(VOLUME, at + 0.02);
  gain.gain.setValueAtTime(VOLUME, at + BURST_S - 0.02);
  gain.gain.linearRampToValueAtTime(0, at + BURST_S);
  gain.connect(ctx.destination);
  for (const hz of TONES_HZ) {
    const osc = ctx.createOscillator();
    osc.frequency.value = hz;
    osc.connect(gain);
    osc.start(at);
    osc.stop(at + BURST_S);
  }
}

function ringOnce(): void {
  if (!context) return;
  const now = context.currentTime;
  burst(context, now);
  burst(context, now + BURST_S + GAP_S);
}

export function startRinging(): void {
  if (timer !== null || typeof AudioContext === 'undefined') return;
  context ??= new AudioContext();
  // Autoplay rules may hold the context until the user interacts; the toast stays visible anyway.
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  ringOnce();
  timer = setInterval(ringOnce, PATTERN_MS);
}

export function stopRinging(): void {
  if (timer !== null) clearInterval(timer);
  timer = null;
  // Suspending cuts the bursts already scheduled; the next ring resumes it.
  if (context?.state === 'running') void context.suspend().catch(() => undefined);
}

/** Whether the ring is on, for tests (window.__imwRtc). */
export const isRinging = (): boolean => timer !== null;
