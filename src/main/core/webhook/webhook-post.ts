/** One POST of a webhook payload: bounded in time, never following a redirect, never reading the answer's body. */
import type { WebhookPayload } from '../../../shared/contract/index.ts';
import { CertdeskError, isCertdeskError } from '../errors.ts';
import { VERSION } from '../version.ts';

export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface PostOutcome {
  status: number;
  ms: number;
}

/** A failed POST, with the status when the receiver answered and how long it took. */
export class WebhookFailure extends CertdeskError {
  readonly status: number | null;
  readonly ms: number;
  constructor(error: CertdeskError, status: number | null, ms: number) {
    super(error.code, error.message, { field: 'url', cause: error.cause });
    this.status = status;
    this.ms = ms;
  }
}

function cause(error: unknown): string {
  const inner = (error as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ?? inner?.message ?? (error instanceof Error ? error.message : String(error));
}

export async function postWebhook(
  fetcher: typeof fetch,
  url: string,
  payload: WebhookPayload,
  timeoutMs = WEBHOOK_TIMEOUT_MS,
): Promise<PostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await fetcher(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': `certdesk/${VERSION}` },
      body: JSON.stringify(payload),
      // A redirect could lead from https to plain http elsewhere: the URL the operator set is the only one used.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    if (isCertdeskError(error)) throw new WebhookFailure(error, null, elapsed());
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new WebhookFailure(
      timedOut
        ? new CertdeskError('WEBHOOK_TIMEOUT', `${host} did not answer within ${timeoutMs / 1000} s. Check the receiver, then test again.`)
        : new CertdeskError(
            'WEBHOOK_UNREACHABLE',
            `${host} could not be reached (${cause(error)}). Check the address and that the receiver runs.`,
          ),
      null,
      elapsed(),
    );
  }
  // The answer's body is never read: a receiver cannot make certdesk hold an unbounded reply.
  await response.body?.cancel().catch(() => undefined);
  const ms = elapsed();
  if (response.status < 200 || response.status > 299)
    throw new WebhookFailure(
      new CertdeskError(
        'WEBHOOK_REJECTED',
        `${host} answered ${response.status}${response.status >= 300 && response.status < 400 ? ' (a redirect, which certdesk does not follow: set the final address)' : ''}; it must answer 2xx.`,
      ),
      response.status,
      ms,
    );
  return { status: response.status, ms };
}
