/**
 * Every Management API call certdesk makes for bindings goes through here: one SDK client per run,
 * paced by the tenant's own `x-ratelimit-*` headers, retried a bounded number of times on 429, 5xx,
 * timeouts and resets, and turned into a CertdeskError that names the cause and the fix.
 * The SDK's own retries are off (maxRetries 0): a retry of a create must look before it acts,
 * which only the caller can do.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ManagementClient } from 'auth0';
import { CertdeskError, isTransientError } from '../errors.ts';
import { RatePacer, RateWaitExceeded } from './rate-pacer.ts';
import { assertProcessOnline } from '../workstation/role-guard.ts';
import { m2mRefusal, type Auth0Options, type TenantEndpoint } from './management.ts';

export interface GatewayOptions extends Auth0Options {
  /** Attempts per call for 5xx, timeouts and resets (default 4). */
  attempts?: number;
  /** Longest total wait for rate limits in one call before giving up (ms, default 120 000). */
  maxRateWaitMs?: number;
  /** First backoff after a 5xx or timeout (ms, default 250; doubles, with jitter). */
  backoffMs?: number;
  /** Wall clock for `x-ratelimit-reset` (epoch seconds). Defaults to Date.now. */
  wallClock?: () => number;
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface ErrorShape {
  statusCode?: number;
  body?: unknown;
  message: string;
  name: string;
  rawResponse?: { headers?: Headers };
}

function shape(error: unknown): ErrorShape {
  if (error instanceof Error) return error as unknown as ErrorShape;
  return { message: String(error), name: 'Error' };
}

/** The error and its causes, outermost first (the SDK wraps what the fetch threw). */
function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && e !== null && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

function bodyField(body: unknown, key: string): string | undefined {
  if (body && typeof body === 'object' && key in body) {
    const value = (body as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

export class ManagementGateway {
  readonly client: ManagementClient;
  /** Calls made (attempts included): the benchmark and the tests count them. */
  calls = 0;
  private readonly tenant: TenantEndpoint & { name: string };
  private readonly secret: string;
  private readonly options: Required<Pick<GatewayOptions, 'attempts' | 'maxRateWaitMs' | 'backoffMs' | 'wallClock' | 'wait'>>;
  private readonly pacer: RatePacer;

  constructor(tenant: TenantEndpoint & { name: string }, secret: string, options: GatewayOptions = {}) {
    this.tenant = tenant;
    this.secret = secret;
    this.options = {
      attempts: options.attempts ?? 4,
      maxRateWaitMs: options.maxRateWaitMs ?? 120_000,
      backoffMs: options.backoffMs ?? 250,
      wallClock: options.wallClock ?? Date.now,
      wait: options.wait ?? ((ms, signal) => sleep(ms, undefined, { signal }).catch(() => undefined)),
    };
    this.pacer = new RatePacer({ now: this.options.wallClock, wait: this.options.wait }, this.options.maxRateWaitMs);
    const baseFetch = options.fetch ?? fetch;
    const observed: typeof fetch = async (input, init) => {
      assertProcessOnline(`the Auth0 Management API of ${tenant.domain}`);
      // Only the Management API's window is paced: the token endpoint (Authentication API) has its own.
      const management = new URL(input instanceof Request ? input.url : String(input)).pathname.startsWith('/api/v2/');
      if (!management) return baseFetch(input, init);
      // The SDK's timeout runs from before this call: a signal aborted while queued takes no slot.
      const ticket = await this.pacer.acquire(init?.signal);
      this.calls += 1;
      let headers: Headers | null = null;
      let refused = false;
      try {
        const response = await baseFetch(input, init);
        headers = response.headers;
        refused = response.status === 429;
        return response;
      } finally {
        this.pacer.settle(headers, refused, ticket);
      }
    };
    this.client = new ManagementClient({
      domain: tenant.domain,
      clientId: tenant.clientId,
      clientSecret: secret,
      fetch: observed,
      timeoutInSeconds: options.timeoutInSeconds ?? 15,
      maxRetries: 0,
    });
  }

  /**
   * Runs `fn` until it succeeds, a permanent error occurs, or the retry budget is spent.
   * `beforeRetry` runs before every retry: a create uses it to look again, and returns a value to
   * stop when the first attempt in fact succeeded on the server.
   */
  async call<T>(
    label: string,
    fn: (client: ManagementClient) => Promise<T>,
    beforeRetry?: () => Promise<T | undefined>,
  ): Promise<{ value: T; attempts: number }> {
    // Named here as well as in the fetch below: the SDK wraps what its token request throws and drops the cause.
    assertProcessOnline(`the Auth0 Management API of ${this.tenant.domain}`);
    let failures = 0;
    let refusals = 0;
    let rateWaited = 0;
    for (let attempt = 1; ; attempt++) {
      if (attempt > 1 && beforeRetry) {
        const found = await this.call(`${label} (look again)`, () => beforeRetry());
        if (found.value !== undefined) return { value: found.value, attempts: attempt - 1 };
      }
      try {
        return { value: await fn(this.client), attempts: attempt };
      } catch (error) {
        // The fetch itself refused to send (the sandbox fetch's named refusal): no retry can help, and its words are the fix.
        const refused = causeChain(error).find((c): c is CertdeskError => c instanceof CertdeskError && !isTransientError(c));
        if (refused) throw refused;
        const waitedOut = causeChain(error).find((c): c is RateWaitExceeded => c instanceof RateWaitExceeded);
        if (waitedOut) {
          throw new CertdeskError(
            'AUTH0_RATE_LIMITED',
            `${this.tenant.domain}'s rate limit kept certdesk waiting (${waitedOut.message}) while trying to ${label}. The change waits in the outbox; apply again later.`,
            { field: 'tenant', cause: error },
          );
        }
        const e = shape(error);
        if (e.statusCode === 429) {
          refusals += 1;
          const wait = this.rateWait(e);
          const waitMs = wait.ms;
          if (rateWaited + waitMs > this.options.maxRateWaitMs) {
            rateWaited += waitMs;
            throw new CertdeskError(
              'AUTH0_RATE_LIMITED',
              `${this.tenant.domain} kept answering 429 (rate limit) for ${Math.round(rateWaited / 1000)} s while trying to ${label}. The change waits in the outbox; apply again later.`,
              { field: 'tenant', cause: error },
            );
          }
          // A first refusal may end early, once another call shows the window has room (a 429 that
          // was a fault or another limit must not idle this call to the reset); a second sits it out.
          const waitStarted = this.options.wallClock();
          const outcome =
            refusals === 1 && !wait.retryAfterLonger
              ? await this.pacer.roomOrReset(waitMs)
              : await this.options.wait(waitMs).then(() => 'reset' as const);
          rateWaited += outcome === 'room' ? Math.max(0, this.options.wallClock() - waitStarted) : waitMs;
          continue;
        }
        const transient = this.transient(e);
        if (!transient) throw this.permanent(label, e, error);
        failures += 1;
        if (failures >= this.options.attempts) throw this.exhausted(label, e, error, failures);
        const backoff = this.options.backoffMs * 2 ** (failures - 1);
        await this.options.wait(backoff / 2 + Math.random() * (backoff / 2));
      }
    }
  }

  /**
   * How long a 429 asks us to wait: until `x-ratelimit-reset` (or `Retry-After`), at least 50 ms.
   * `retryAfterLonger`: `Retry-After` asks for more than the window's reset, so it speaks of another
   * limit, which no answer about the window can lift early.
   */
  private rateWait(e: ErrorShape): { ms: number; retryAfterLonger: boolean } {
    const headers = e.rawResponse?.headers;
    const reset = Number(headers?.get('x-ratelimit-reset') ?? this.pacer.windowEnd);
    const retryAfter = Number(headers?.get('retry-after'));
    const untilReset = Number.isFinite(reset) && reset > 0 ? reset * 1000 - this.options.wallClock() : 1000;
    const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 0;
    return { ms: Math.min(Math.max(untilReset, retryAfterMs, 50), 60_000), retryAfterLonger: retryAfterMs > untilReset };
  }

  private transient(e: ErrorShape): boolean {
    if (e.statusCode !== undefined) return e.statusCode >= 500 || e.statusCode === 408;
    // No status: a timeout, a reset connection or a DNS/network failure.
    return true;
  }

  private redact(text: string): string {
    return this.secret ? text.replaceAll(this.secret, '[redacted]') : text;
  }

  private permanent(label: string, e: ErrorShape, cause: unknown): CertdeskError {
    const status = e.statusCode ?? 0;
    const description = this.redact(
      bodyField(e.body, 'error_description') ?? bodyField(e.body, 'message') ?? e.message.split('\n')[0] ?? '',
    );
    const errorCode = bodyField(e.body, 'errorCode') ?? bodyField(e.body, 'error');
    if (e.message.includes('token request failed')) {
      const refused = m2mRefusal(this.tenant, description);
      return new CertdeskError(
        'AUTH0_AUTH_FAILED',
        `Tenant "${this.tenant.name}": ${refused.message} Fix the tenant profile: remove it and add it again with the current client id and secret.`,
        { field: refused.field, cause },
      );
    }
    if (status === 403 && errorCode === 'insufficient_scope') {
      const expected = /expected (?:any of|all of)?:?\s*(.+)$/i.exec(description)?.[1]?.trim() ?? description;
      return new CertdeskError(
        'AUTH0_SCOPE_MISSING',
        `The M2M application of tenant "${this.tenant.name}" lacks the scope ${expected} needed to ${label}. Grant it in the Auth0 dashboard (APIs → Auth0 Management API → Machine to Machine Applications), then apply again.`,
        { field: 'scope', cause },
      );
    }
    if (status === 400 && errorCode === 'too_many_credentials') {
      return new CertdeskError('AUTH0_CREDENTIAL_LIMIT', `Auth0 refused to ${label}: ${description}`, { field: 'clientId', cause });
    }
    if (status === 404) {
      return new CertdeskError('AUTH0_NOT_FOUND', `Auth0 could not ${label}: ${description} (404). Check the id in the binding.`, {
        field: 'clientId',
        cause,
      });
    }
    return new CertdeskError('AUTH0_REJECTED', `Auth0 refused to ${label} (${status} ${errorCode ?? ''}): ${description}`, {
      field: 'tenant',
      cause,
    });
  }

  private exhausted(label: string, e: ErrorShape, cause: unknown, failures: number): CertdeskError {
    const what =
      e.statusCode !== undefined
        ? `answered ${e.statusCode}`
        : /timeout/i.test(e.name + e.message)
          ? 'did not answer in time'
          : `could not be reached (${this.redact(networkReason(cause))})`;
    const unreachable = e.statusCode === undefined && !/timeout/i.test(e.name + e.message);
    const hint = /ENOTFOUND|EAI_AGAIN/.test(what) ? ` Check the tenant domain (${this.tenant.domain}) and your network.` : '';
    return new CertdeskError(
      unreachable ? 'AUTH0_UNREACHABLE' : 'AUTH0_UNAVAILABLE',
      `${this.tenant.domain} ${what} ${failures} times while trying to ${label}.${hint}`,
      { field: 'tenant', cause },
    );
  }
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message.slice(0, 120);
  return error instanceof Error ? error.message.split('\n')[0]!.slice(0, 120) : 'network error';
}
