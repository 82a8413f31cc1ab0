/** The reload fields of the edge channels: a preset (and its one parameter), never a command line. */
import { z } from 'zod';
import { DOCKER_CONTAINER_NAME } from '../../shared/contract/index.ts';
import { hasControlCharacters, hasFormatCharacters } from '../../shared/validation.ts';

export const reloadChoice = z.discriminatedUnion('preset', [
  z.object({ preset: z.literal('none') }).strict(),
  z.object({ preset: z.literal('nginx') }).strict(),
  z.object({ preset: z.literal('systemctl') }).strict(),
  z
    .object({
      preset: z.literal('docker'),
      container: z.string({ error: 'reload.container must be text' }).regex(DOCKER_CONTAINER_NAME, {
        error: 'reload.container must be a Docker container name: a letter or digit, then letters, digits, _ . -',
      }),
    })
    .strict(),
  z.object({ preset: z.literal('custom') }).strict(),
]);

/** The free-form field of older certdesks, refused by name so a caller learns what replaced it. */
export const reloadCommandRefused = z
  .never({
    error:
      'reloadCommand is no longer accepted: a shell command never crosses the API. Choose reload.preset (nginx, systemctl, docker, none), or have the operator set a custom argv with certdesk edge reload set -- ARGV…',
  })
  .optional();

/** A custom argv, as the operator typed it: never trimmed or split, one line per argument. */
export const reloadArgv = z
  .array(
    z
      .string({ error: 'argv entries must be text' })
      .max(4096, { error: 'an argv entry is longer than 4096 characters' })
      .refine((arg) => !hasControlCharacters(arg), { error: 'argv entries must not contain control characters' })
      // The approval dialog shows this argv: a bidi override or zero-width character would make it read as another command.
      .refine((arg) => !hasFormatCharacters(arg), {
        error:
          'argv entries must not contain invisible format characters (Unicode Cf: bidi overrides and isolates U+202A–202E, U+2066–2069, zero-width U+200B–200F, BOM U+FEFF); type the argument without them',
      }),
  )
  .min(1, { error: 'argv must name the program to run' })
  .max(64, { error: 'argv has more than 64 entries' })
  .refine((argv) => (argv[0] ?? '').length > 0, { error: 'argv[0], the program, must not be empty' });
