/**
 * The web app's build. scripts/build.mjs runs it with outDir set (dist/web);
 * `npx vite web` serves it for development with /api proxied to `calm serve`
 * on port 4100. JSX goes through Vite's own transform (no plugin needed).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    target: 'es2022',
    // no inline <script> or data: URLs: the server's CSP is default-src 'self'
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4100', '/status': 'http://127.0.0.1:4100' } },
});
