/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Overrides the WebSocket URL (default: `/ws` on the page's own origin). */
  readonly VITE_WS_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
