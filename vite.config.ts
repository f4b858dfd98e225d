/**
 * Vite build of the renderer (React 19). The renderer lives in `renderer/` and is built to `out/renderer`, which
 * both shells serve: Electron through its `app://` scheme, browser mode over loopback HTTP. Relative `base` so
 * the same build works under either origin. Heavy screens are lazy-loaded (`React.lazy`), so the initial chunk
 * holds only sign-in, home and the registration form.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: path.join(root, 'renderer'),
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: path.join(root, 'out', 'renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: false,
    // The CJK font is large by nature and never inlined.
    assetsInlineLimit: 4096,
    chunkSizeWarningLimit: 600,
  },
});
