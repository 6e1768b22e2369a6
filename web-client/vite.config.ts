import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * In production the server serves `dist/` and the WebSocket from one origin. In development
 * Vite serves the app and forwards the server's paths, so the client code never needs to know
 * which of the two it runs under (it always connects to `/ws` on its own origin).
 */
const backend = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Two pages: the app, and the operator console at /admin/ (#17), which shares its styles.
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        admin: resolve(import.meta.dirname, 'admin/index.html'),
      },
    },
  },
  server: {
    proxy: {
      '/ws': { target: backend, ws: true },
      '/maps': backend,
      '/healthz': backend,
      // The console's API; the page itself (/admin/) is Vite's.
      '^/admin/(nodes|online|users|stats|reports|actions|system|ad|drain)': backend,
    },
  },
});
