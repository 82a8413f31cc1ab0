/**
 * Keeps Management API calls within the tenant's rate limit, as Auth0 announces it on every answer
 * (`x-ratelimit-limit`, `-remaining`, `-reset` in epoch seconds). Each call takes a slot before it
 * starts; calls still in flight count against what the last answer said was left, so concurrent
 * calls (bulk rotation) do not overrun the window either. Until the first answer, one call at a
 * time goes out to learn the limit.
 */
export interface PacerClock {
  /** Wall clock, epoch milliseconds. */
  now: () => number;
  wait: (ms: number) => Promise<void>;
}

/** A call waited longer than allowed for the rate limit: the caller leaves the work for later. */
export class RateWaitExceeded extends Error {
  readonly waitedMs: number;
  constructor(waitedMs: number) {
    super(`waited ${Math.round(waitedMs / 1000)} s for the tenant's rate limit`);
    this.name = 'RateWaitExceeded';
    this.waitedMs = waitedMs;
  }
}

export class RatePacer {
  private readonly clock: PacerClock;
  private readonly maxWaitMs: number;
  private limit: number | null = null;
  /** Calls that may still start in the current window. */
  private remaining = 1;
  /** When the current window ends (epoch seconds); 0 while unknown. */
  private resetAt = 0;
  private inFlight = 0;
  /** The least `x-ratelimit-remaining` an answer for the current window has said: a higher one is older news. */
  private leastLeft = Infinity;
  private answerWaiters: Array<() => void> = [];

  constructor(clock: PacerClock, maxWaitMs: number) {
    this.clock = clock;
    this.maxWaitMs = maxWaitMs;
  }

  /**
   * Waits for a slot in the window and takes it; pair with `settle` once the call has an answer (or
   * none). Throws `RateWaitExceeded` after `maxWaitMs` in all, and the signal's reason once it is
   * aborted (the caller's own timeout), without taking a slot either way.
   */
  async acquire(signal?: AbortSignal | null): Promise<void> {
    const started = this.clock.now();
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      if (this.resetAt !== 0 && now >= this.resetAt * 1000) {
        // The window the last answer spoke of is over (however long ago): a fresh one from now,
        // less the calls still on their way, which may land in it.
        this.resetAt = Math.floor(now / 1000) + 1;
        this.remaining = Math.max(0, (this.limit ?? 1) - this.inFlight);
        this.leastLeft = Infinity;
      }
      if (this.remaining > 0) {
        this.remaining -= 1;
        this.inFlight += 1;
        return;
      }
      const waited = this.clock.now() - started;
      if (waited > this.maxWaitMs) throw new RateWaitExceeded(waited);
      if (this.resetAt === 0) {
        // No window known yet (the probe is still out): wait for its answer.
        await new Promise<void>((resolve) => this.answerWaiters.push(resolve));
        continue;
      }
      // Until the window ends; the first waiter to wake then opens the next one (above).
      await this.clock.wait(Math.min(this.resetAt * 1000 - now, this.maxWaitMs - waited + 1));
    }
  }

  /**
   * Records what an answer said about the window (headers absent: nothing learned). `refused`: the
   * answer was a 429, whose "nothing left" holds until a later-counted answer says otherwise.
   */
  settle(headers: Headers | null, refused = false): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    const limit = Number(headers?.get('x-ratelimit-limit'));
    const left = Number(headers?.get('x-ratelimit-remaining'));
    const reset = Number(headers?.get('x-ratelimit-reset'));
    if (headers?.has('x-ratelimit-limit') && Number.isFinite(limit) && limit > 0) this.limit = limit;
    if (
      headers?.has('x-ratelimit-reset') &&
      headers.has('x-ratelimit-remaining') &&
      Number.isFinite(reset) &&
      Number.isFinite(left) &&
      (reset > this.resetAt || (reset === this.resetAt && left <= this.leastLeft))
    ) {
      // Calls still in flight were not counted by the server when it answered this one. An answer
      // that overtook a later-counted one (several sockets) says more is left than there is: it is
      // skipped above, or it would give back a slot the server has already counted.
      this.remaining = Math.max(0, left - this.inFlight);
      // A 429 counts in no order: it may stand for another limit than the window's count.
      if (!refused) this.leastLeft = reset > this.resetAt ? left : Math.min(this.leastLeft, left);
      else if (reset > this.resetAt) this.leastLeft = Infinity;
      this.resetAt = reset;
    } else if (this.resetAt === 0 && this.remaining === 0 && this.inFlight === 0) {
      // The probe learned nothing (an answer without rate headers, or no answer): let the next one try.
      this.remaining = 1;
    }
    for (const wake of this.answerWaiters.splice(0)) wake();
  }

  /** When the current window ends (epoch seconds), or 0 if unknown. */
  get windowEnd(): number {
    return this.resetAt;
  }
}
