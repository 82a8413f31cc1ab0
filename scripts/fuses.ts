/**
 * The Electron fuses certdesk ships with: switches compiled into the Electron binary that no
 * command-line flag or environment variable can turn back. scripts/after-pack.ts flips them in every
 * packaged binary; test/unit/fuses.test.ts checks this object and the hook's effect on a binary.
 */
import type { FuseV1Options } from '@electron/fuses';

export const FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node that runs any script as the app.
  RunAsNode: false,
  // Cookies (none today, but any future session state) are encrypted with a key in the OS keychain.
  EnableCookieEncryption: true,
  // NODE_OPTIONS=--require=… would load foreign code into the main process.
  EnableNodeOptionsEnvironmentVariable: false,
  // --inspect would let another process attach a debugger to the main process, which holds the vault key.
  EnableNodeCliInspectArguments: false,
  // app.asar is checked against the hash electron-builder embeds (macOS, Windows): a patched asar does not load.
  EnableEmbeddedAsarIntegrityValidation: true,
  // Only app.asar is loaded, never an app/ folder dropped beside it.
  OnlyLoadAppFromAsar: true,
  // The renderer is served from app:// (src/main/electron/app-protocol.ts); file:// pages need no extra powers.
  GrantFileProtocolExtraPrivileges: false,
} as const satisfies Partial<Record<keyof typeof FuseV1Options, boolean>>;
