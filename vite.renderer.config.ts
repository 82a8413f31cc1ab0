import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type UserConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string; license: string };

/**
 * The renderer build, on its own so `npx vite build --config vite.renderer.config.ts` works
 * without Electron and `electron.vite.config.ts` can reuse the same object for its renderer.
 */
export const rendererConfig: UserConfig = {
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  // Relative asset URLs: Electron loads the page from file://, the web host from its own origin.
  base: './',
  plugins: [react()],
  // The About dialog shows what was built, read from package.json once at build time (declared in build-info.d.ts).
  define: {
    __CERTDESK_VERSION__: JSON.stringify(pkg.version),
    __CERTDESK_LICENSE__: JSON.stringify(pkg.license),
  },
  build: {
    outDir: fileURLToPath(new URL('./out/renderer', import.meta.url)),
    emptyOutDir: true,
    // Electron 45's Chromium and the Debian Chromium the e2e tests use are both current.
    target: 'es2023',
    // electron-vite turns minification off for the renderer unless asked: without this `npm run build`
    // shipped 1.6 MB of unminified JS where `vite build` of the same config ships about half.
    minify: true,
    sourcemap: true,
    // One chunk per page (src/renderer/src/pages/registry.tsx); the manifest names each chunk's imports,
    // so test/unit/renderer-bundle.test.ts can weigh what the first page loads.
    manifest: true,
  },
  server: {
    // Dev server only ever for this machine.
    host: '127.0.0.1',
    fs: { allow: [repoRoot] },
  },
};

export default defineConfig(rendererConfig);
