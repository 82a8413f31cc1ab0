import { z } from 'zod';
import { CA_KEY_TYPES, type Channel, type ChannelInput } from '../shared/contract.ts';

/** Printable text only: no control characters (they break DNs, logs and terminals alike). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} is longer than ${max} characters (X.509 upper bound)` })
    .refine((value) => !CONTROL.test(value), { error: `${field} must not contain control characters` });

const empty = z.object({}).strict();

const createAuthority = z
  .object({
    name: text('name', 64),
    organization: text('organization', 64).optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, { error: 'country must be a two-letter ISO 3166 code in capitals, such as US or DE' })
      .optional(),
    keyType: z.enum(CA_KEY_TYPES, { error: `keyType must be one of ${CA_KEY_TYPES.join(', ')} (RSA-2048 is too weak for a CA)` }).optional(),
    years: z
      .number({ error: 'years must be a whole number' })
      .int({ error: 'years must be a whole number' })
      .min(1, { error: 'years must be at least 1' })
      .max(30, { error: 'years must be at most 30' })
      .optional(),
    parent: text('parent', 200).optional(),
    progressId: z.string().max(100).optional(),
  })
  .strict();

const passphrase = z.string({ error: 'passphrase must be text' }).max(1024, { error: 'passphrase is longer than 1024 characters' });

/** One schema per channel, each tied to the contract's input type: drift fails the type check. */
export const schemas: { [C in Channel]: z.ZodType<ChannelInput<C>> } = {
  'app:info': empty,
  'vault:init': z.object({ protection: z.enum(['keychain', 'passphrase'], { error: 'protection must be "keychain" or "passphrase"' }), passphrase: passphrase.optional() }).strict(),
  'vault:unlock': z.object({ passphrase }).strict(),
  'ca:list': empty,
  'ca:create': createAuthority,
};
