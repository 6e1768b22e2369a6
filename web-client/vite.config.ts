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
  },
  server: {
    proxy: {
      '/ws': { target: backend, ws: true },
      '/maps': backend,
      '/healthz': backend,
    },
  },
});
