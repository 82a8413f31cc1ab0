import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CertdeskError } from '../errors.ts';

/** Each worker entry's module in the TypeScript sources, relative to this one. */
const SOURCES = {
  'key-decrypt-worker': './key-decrypt-worker',
  'keygen-worker': './keygen-worker',
  'checkpoint-worker': '../store/checkpoint-worker',
} as const;

/**
 * Where one of the core's worker entries is (SOURCES). From the TypeScript sources (CLI, web mode,
 * tests) it is the module SOURCES names; the electron-vite build emits each as out/main/NAME.js (an
 * entry of its own, electron.vite.config.ts), beside index.js or one folder up from a chunk. A Worker
 * is only ever started from this fixed list, never from a caller's path.
 */
export function coreWorkerPath(name: keyof typeof SOURCES): string {
  const names = import.meta.url.endsWith('.ts') ? [`${SOURCES[name]}.ts`] : [`./${name}.js`, `../${name}.js`];
  for (const candidate of names) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new CertdeskError(
    'INTERNAL',
    `certdesk's worker ${name} is missing from ${fileURLToPath(new URL('.', import.meta.url))}; reinstall certdesk.`,
  );
}
