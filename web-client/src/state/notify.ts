import { type ConversationKey, keyOf } from './keys';

/** The kinds of desktop notification a user can switch on one by one (R-NOT-3). */
export type NotifyKind = 'direct' | 'group' | 'nearby' | 'call';

/** One short two-tone chime from Web Audio: no asset to fetch, nothing the CSP has to allow. */
export function playChime(): void {
  const Ctx = window.AudioContext;
  if (!Ctx) return;
  try {
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    const t0 = ctx.currentTime;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.15, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.35);
    for (const [i, hz] of [880, 1320].entries()) {
      const osc = ctx.createOscillator();
      osc.type = 'sine';
      osc.frequency.setValueAtTime(hz, t0 + i * 0.12);
      osc.connect(gain);
      osc.start(t0 + i * 0.12);
      osc.stop(t0 + 0.36);
    }
    window.setTimeout(() => void ctx.close(), 600);
  } catch (e) {
    console.warn('could not play the sound', e);
  }
}

/** The browser's permission for desktop notifications ('unsupported' without the API). */
export function notificationPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Shows a desktop notification when the user allowed them; a click brings the tab forward. */
export function showNotification(title: string, body: string, onClick?: () => void): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const n = new Notification(title, { body, tag: title });
    n.onclick = () => {
      window.focus();
      onClick?.();
      n.close();
    };
  } catch (e) {
    console.warn('could not show a notification', e);
  }
}

/**
 * R-NOT-3: a message calls for attention only when the user cannot see it: the tab is hidden,
 * or its conversation is not the one open.
 */
export function needsAttention(
  me: number,
  conv: string,
  openKey: ConversationKey | null,
  hidden: boolean,
): boolean {
  return hidden || keyOf(me, conv) !== openKey;
}
