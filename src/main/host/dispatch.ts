import { randomBytes } from 'node:crypto';
import { CHANNELS, type Channel, type Failure, type Result } from '../../shared/contract/index.ts';
import { endpoints, type Handlers } from '../api/index.ts';
import { isCertdeskError } from '../core/errors.ts';

export { createHandlers, type Handlers, type HostParts } from '../api/index.ts';

const channelSet: ReadonlySet<string> = new Set(CHANNELS);

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && channelSet.has(value);
}

/**
 * The one entry point every transport uses (Electron IPC, web host, tests): validates the raw
 * input with the channel's schema, runs the handler, and turns every outcome into a Result.
 * It never throws; an unexpected exception becomes INTERNAL with a reference, and is logged under it.
 */
export async function dispatch(
  handlers: Handlers,
  channel: unknown,
  rawInput: unknown,
  log: (error: unknown) => void = console.error,
): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return fail({ code: 'UNKNOWN_CHANNEL', message: `There is no channel "${String(channel).slice(0, 80)}".`, field: 'channel' });
  }
  const parsed = endpoints[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : undefined;
    const message =
      issue?.code === 'unrecognized_keys'
        ? `Unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove it.`
        : (issue?.message ?? 'Invalid input.');
    // An oversized paste is its own, more helpful, code.
    const code = issue?.code === 'too_big' && issue.origin === 'string' && Number(issue.maximum) >= 4096 ? 'INPUT_TOO_LARGE' : 'VALIDATION';
    return fail({ code, message, ...(field ? { field } : issue?.code === 'unrecognized_keys' ? { field: issue.keys[0] } : {}) });
  }
  try {
    const handler = handlers[channel] as (input: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (isCertdeskError(error)) return fail(error.toFailure());
    // The caller (a renderer, or whoever holds the web token) gets a reference, not the exception's
    // words: those may carry paths, SQL or a library's internals. The log keeps them, under the reference.
    const reference = randomBytes(4).toString('hex');
    log(new Error(`unexpected error ${reference} in ${channel}`, { cause: error }));
    return fail({
      code: 'INTERNAL',
      message: `certdesk hit an unexpected error while answering ${channel} (reference ${reference}; certdesk wrote the details to its error output under it). Check the result before trying again, and please report it.`,
    });
  }
}

function fail(error: Failure): Result<never> {
  return { ok: false, error };
}
