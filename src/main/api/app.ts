/** The app and its key vault: what this data folder is, and how its private keys are protected. */
import { z } from 'zod';
import type { Endpoints } from './endpoint.ts';
import { empty, passphrase } from './fields.ts';

export const app = {
  'app:info': { input: empty, handle: (_input, { service }) => service.info() },
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
} satisfies Endpoints<'app:info' | 'vault:init' | 'vault:unlock'>;
