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
  /**
   * Resolves after `ms`, or at once when `signal` is aborted (it never rejects). A clock that ignores
   * the signal must not let an abandoned wait move time: `roomOrReset` abandons its wait on evidence.
   */
  wait: (ms: number, signal?: AbortSignal) => Promise<void>;
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
  /** Calls handed a slot so far: each call's ticket is its place in that order. */
  private issued = 0;
  /**
   * The 429s answered in the current window, each as the last ticket issued when it came back. A 429
   * says nothing left, not how many: it took a slot the server counted, and an answer to a call sent
   * before it came back may have been counted before it, so that answer's count leaves it out.
   */
  private refusalMarks: number[] = [];
  private answerWaiters: Array<() => void> = [];
  /** Callers refused with a 429, waiting for evidence that the window still has room (`roomOrReset`). */
  private roomWaiters = new Set<() => void>();

  constructor(clock: PacerClock, maxWaitMs: number) {
    this.clock = clock;
    this.maxWaitMs = maxWaitMs;
  }

  /**
   * Waits for a slot in the window and takes it; pair with `settle` once the call has an answer (or
   * none). Throws `RateWaitExceeded` after `maxWaitMs` in all, and the signal's reason once it is
   * aborted (the caller's own timeout), without taking a slot either way. Returns the call's ticket,
   * for `settle`.
   */
  async acquire(signal?: AbortSignal | null): Promise<number> {
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
        this.refusalMarks = [];
      }
      if (this.remaining > 0) {
        this.remaining -= 1;
        this.inFlight += 1;
        return ++this.issued;
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
   * `ticket`: what `acquire` returned for the call (without it, the call counts as the oldest).
   */
  settle(headers: Headers | null, refused = false, ticket = 0): void {
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
      if (reset > this.resetAt) this.refusalMarks = [];
      // 429s that came back while this call was out may have been counted after it: count them too.
      const uncounted = refused ? 0 : this.refusalMarks.filter((mark) => ticket <= mark).length;
      if (refused) this.refusalMarks.push(this.issued);
      this.remaining = Math.max(0, left - this.inFlight - uncounted);
      // A 429 counts in no order: it may stand for another limit than the window's count.
      if (!refused) this.leastLeft = reset > this.resetAt ? left : Math.min(this.leastLeft, left);
      else if (reset > this.resetAt) this.leastLeft = Infinity;
      this.resetAt = reset;
      // An answer that went through and says the window has room: a 429 seen before it was not the
      // window running out (a fault, or another limit), and its caller need not sit out the window.
      // Only when a slot is free now: a waiter woken into a full window would spend its one early try.
      if (!refused && this.remaining > 0) for (const wake of [...this.roomWaiters]) wake();
    } else if (this.resetAt === 0 && this.remaining === 0 && this.inFlight === 0) {
      // The probe learned nothing (an answer without rate headers, or no answer): let the next one try.
      this.remaining = 1;
    }
    for (const wake of this.answerWaiters.splice(0)) wake();
  }

  /**
   * After a 429, waits up to `ms` (until the window's reset), or less: until an answer that settles
   * after this call went through and said the window still has room. The retry then takes a slot
   * through `acquire` like any call, so the window is never overrun on that evidence. Only the
   * window's count is known here: a caller refused again should sit out the whole wait.
   */
  async roomOrReset(ms: number): Promise<'room' | 'reset'> {
    const timer = new AbortController();
    let wake!: () => void;
    const room = new Promise<'room'>((resolve) => {
      wake = () => resolve('room');
    });
    this.roomWaiters.add(wake);
    try {
      return await Promise.race([room, this.clock.wait(ms, timer.signal).then(() => 'reset' as const)]);
    } finally {
      this.roomWaiters.delete(wake);
      timer.abort();
    }
  }

  /** When the current window ends (epoch seconds), or 0 if unknown. */
  get windowEnd(): number {
    return this.resetAt;
  }
}
