/** The app and its key vault: what this data folder is, and how its private keys are protected. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty, passphrase } from './fields.ts';
import { LIMITS } from './limits.ts';

export const app = {
  'app:info': { input: empty, handle: (_input, { service }) => service.infoAfterProbe() },
  'vault:init': {
    input: z
      .object({
        protection: z.enum(['keychain', 'passphrase'], { error: 'protection must be "keychain" or "passphrase"' }),
        passphrase: passphrase.optional(),
      })
      .strict(),
    handle: (input, { service }) => service.initVault(input),
  },
  'vault:unlock': { input: z.object({ passphrase }).strict(), handle: (input, { service }) => service.unlockVault(input) },
  'vault:lock': { input: empty, handle: (_input, { service }) => service.lockVault({}) },
  'vault:change-passphrase': {
    input: z.object({ currentPassphrase: passphrase, newPassphrase: passphrase }).strict(),
    handle: (input, { service }) => service.changeVaultPassphrase(input),
  },
  'vault:auto-lock': {
    input: z
      .object({
        idleLockMinutes: z
          .number({ error: 'idleLockMinutes must be a number of minutes' })
          .int({ error: 'idleLockMinutes must be a whole number of minutes' })
          .min(LIMITS.idleLockMinutes.min, { error: 'idleLockMinutes must be 0 (never) or more' })
          .max(LIMITS.idleLockMinutes.max, { error: `idleLockMinutes must be at most ${LIMITS.idleLockMinutes.max} (a day)` }),
      })
      .strict(),
    handle: (input, { service }) => service.setVaultAutoLock(input),
  },
} satisfies Endpoints<'app:info' | 'vault:init' | 'vault:unlock' | 'vault:lock' | 'vault:change-passphrase' | 'vault:auto-lock'>;
