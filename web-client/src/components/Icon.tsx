/**
 * The few UI icons, as inline SVG: emoji fonts are missing on many Linux machines (CI included),
 * where an emoji icon would render as an empty box.
 */
const PATHS = {
  chat: 'M4 5h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H10l-4 3.5V17H4a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1z',
  menu: 'M4 7h16M4 12h16M4 17h16',
  logout: 'M14 4h4a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-4M10 16l-4-4 4-4M6 12h10',
  map: 'M9 4 3 6v14l6-2 6 2 6-2V4l-6 2-6-2zm0 0v14m6-12v14',
  close: 'M6 6l12 12M18 6 6 18',
  back: 'M15 5l-7 7 7 7',
  send: 'M4 12 20 4l-6 16-3-7-7-1z',
  direct: 'M13 2 4 14h7l-1 8 9-12h-7z',
  video: 'M3 7h12v10H3zM15 10.5 21 7v10l-6-3.5',
  mic: 'M12 3a3 3 0 0 1 3 3v6a3 3 0 0 1-6 0V6a3 3 0 0 1 3-3zM5 11a7 7 0 0 0 14 0M12 18v3',
  hangup: 'M3 15c5-5 13-5 18 0l-2.5 2.5-3.5-1.5v-3a11 11 0 0 0-6 0v3l-3.5 1.5z',
  users:
    'M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 12 0v1M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6',
  smile: 'M12 3a9 9 0 1 1 0 18 9 9 0 0 1 0-18zM8 14s1.5 2 4 2 4-2 4-2M9 9h.01M15 9h.01',
  bell: 'M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
