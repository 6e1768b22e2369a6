const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** "14:03" today, "3 Mar, 14:03" before. */
export function formatTime(atMs: number, nowMs = Date.now()): string {
  const at = new Date(atMs);
  const now = new Date(nowMs);
  return at.toDateString() === now.toDateString() ? timeFormat.format(at) : dateTimeFormat.format(at);
}
