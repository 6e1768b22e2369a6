/**
 * The world's new UI strings in one place, so that moving them into the i18n `world` namespace
 * (en and zh-CN) is one edit.
 */
export const worldText = {
  silentZone: 'Silent zone: nobody hears scene chat here.',
  silentRefused: 'This is a silent zone: nobody hears you here.',
  meetingRoom: (name: string) => `Meeting room: ${name}`,
  openWebsite: (name: string) => `Open ${name}`,
  websiteHint: 'opens in a new tab',
  noMaps: 'No maps are available.',
} as const;
