import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.ts';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The key-decryption, keygen and WAL checkpoint workers are entries of their own: a Worker loads each by path (src/main/core/pki/worker-path.ts).
      // So is the service's utilityProcess (src/main/electron/service-process.ts forks it by path).
      rollupOptions: {
        input: {
          index: 'src/main/electron/index.ts',
          'key-decrypt-worker': 'src/main/core/pki/key-decrypt-worker.ts',
          'keygen-worker': 'src/main/core/pki/keygen-worker.ts',
          'checkpoint-worker': 'src/main/core/store/checkpoint-worker.ts',
          'service-process': 'src/main/electron/service-process-entry.ts',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be CommonJS.
      rollupOptions: { input: { index: 'src/preload/index.ts' }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: rendererConfig,
});
