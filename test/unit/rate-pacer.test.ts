import { describe, expect, it } from 'vitest';
import { RatePacer, RateWaitExceeded } from '../../src/main/core/auth0/rate-pacer.ts';

/**
 * A virtual clock and a server that counts calls per one-second window exactly as Auth0 (and the
 * sandbox) announce it: waiting moves the clock, nothing sleeps.
 */
function world(limit: number) {
  let now = 1_700_000_000_000;
  const windows = new Map<number, number>();
  const overruns: number[] = [];
  // Callers sleep side by side: a wait moves the clock to its own end, never past a later one's.
  const clock = {
    now: () => now,
    wait: async (ms: number) => {
      const until = now + ms;
      await Promise.resolve();
      now = Math.max(now, until);
    },
  };
  const serve = (): Headers => {
    const second = Math.floor(now / 1000);
    const count = (windows.get(second) ?? 0) + 1;
    windows.set(second, count);
    if (count > limit) overruns.push(second);
    return new Headers({
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - count)),
      'x-ratelimit-reset': String(second + 1),
    });
  };
  return { clock, serve, overruns, windows, advance: (ms: number) => (now += ms) };
}

describe('rate pacing from x-ratelimit-* headers', () => {
  it('sends one probe until the first answer, then never more calls in a window than the limit, even with concurrent callers', async () => {
    const w = world(3);
    const pacer = new RatePacer(w.clock, 60_000);
    let done = 0;
    const worker = async (calls: number) => {
      for (let i = 0; i < calls; i++) {
        await pacer.acquire();
        await Promise.resolve();
        const headers = w.serve();
        // Answers take a little virtual time, so some arrive in the next window.
        w.advance(7);
        pacer.settle(headers);
        done += 1;
      }
    };
    await Promise.all([worker(10), worker(10), worker(10), worker(10)]);
    expect(done).toBe(40);
    expect(w.overruns).toEqual([]);
    // Paced, not serialised to one a second: windows are used up to the limit.
    expect(Math.max(...w.windows.values())).toBe(3);
  });

  it('an answer that overtook a later-counted one gives back no slot the server has already counted', async () => {
    const w = world(10);
    const pacer = new RatePacer(w.clock, 60_000);
    await pacer.acquire();
    pacer.settle(w.serve());
    await pacer.acquire();
    await pacer.acquire();
    const first = w.serve();
    const second = w.serve();
    // Two sockets: the later-counted call's answer arrives first.
    pacer.settle(second);
    pacer.settle(first);
    expect(first.get('x-ratelimit-remaining')).toBe('8');
    // Seven are left in the window; eight more calls, with no answer coming back, must not all land in it.
    for (let i = 0; i < 8; i++) {
      await pacer.acquire();
      w.serve();
    }
    expect(w.overruns).toEqual([]);
  });

  it('a 429 that came back before an earlier-sent answer counts against what that answer says is left', async () => {
    const w = world(5);
    const pacer = new RatePacer(w.clock, 60_000);
    pacer.settle(w.serve(), false, await pacer.acquire());
    const sent = await pacer.acquire();
    const refusedTicket = await pacer.acquire();
    const answer = w.serve();
    // The 429 took a slot too (the server counts before it refuses), and says only "nothing left".
    const refusal = w.serve();
    refusal.set('x-ratelimit-remaining', '0');
    pacer.settle(refusal, true, refusedTicket);
    pacer.settle(answer, false, sent);
    expect(answer.get('x-ratelimit-remaining')).toBe('3');
    // Two are left, not three: the third call waits for the next window.
    for (let i = 0; i < 3; i++) {
      await pacer.acquire();
      w.serve();
    }
    expect(w.overruns).toEqual([]);
    expect([...w.windows.values()]).toEqual([5, 1]);
  });

  it('a second caller waits for the probe, and an answer without rate headers lets the next call go', async () => {
    const w = world(5);
    const pacer = new RatePacer(w.clock, 60_000);
    await pacer.acquire();
    let second = false;
    const pending = pacer.acquire().then(() => (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    pacer.settle(null);
    await pending;
    expect(second).toBe(true);
  });

  it('after a quiet spell opens one window from now, not a burst of stale ones', async () => {
    const w = world(3);
    const pacer = new RatePacer(w.clock, 60_000);
    // One call in a window of three: two slots left when it ends.
    await pacer.acquire();
    pacer.settle(w.serve());
    w.advance(10_000);
    // Twelve callers at once after ten idle seconds, with slots still left from the last window.
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        await pacer.acquire();
        started.push(Math.floor(w.clock.now() / 1000));
        const headers = w.serve();
        await Promise.resolve();
        pacer.settle(headers);
      }),
    );
    const perSecond = new Map<number, number>();
    for (const second of started) perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(3);
    expect(w.overruns).toEqual([]);
  });

  it('gives up after the longest allowed wait, and a caller whose own timeout fired takes no slot', async () => {
    const w = world(1);
    const pacer = new RatePacer(w.clock, 5_000);
    await pacer.acquire();
    // The tenant says: nothing left for an hour (a daily quota, or a clock far off).
    pacer.settle(
      new Headers({
        'x-ratelimit-limit': '1',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(w.clock.now() / 1000) + 3600),
      }),
    );
    const before = w.clock.now();
    await expect(pacer.acquire()).rejects.toBeInstanceOf(RateWaitExceeded);
    expect(w.clock.now() - before).toBeLessThanOrEqual(5_001 + 1_000);

    const fresh = new RatePacer(w.clock, 60_000);
    const aborted = AbortSignal.abort(new Error('the SDK timed out'));
    await expect(fresh.acquire(aborted)).rejects.toThrow('the SDK timed out');
    // The probe slot is still there for the next caller.
    await fresh.acquire();
  });
  it('a 429 waits for the reset, or only until a later answer that went through shows the window has room', async () => {
    const w = world(10);
    // The reset's wait is held open until the test lets it go, and records whether it was called off.
    const timers: { ms: number; release: () => void; signal?: AbortSignal }[] = [];
    const clock = {
      now: w.clock.now,
      wait: (ms: number, signal?: AbortSignal) =>
        new Promise<void>((release) => {
          timers.push({ ms, release, signal });
          signal?.addEventListener('abort', () => release());
        }),
    };
    const pacer = new RatePacer(clock, 60_000);
    await pacer.acquire();
    pacer.settle(w.serve());
    const refusal = (): Headers => {
      const headers = w.serve();
      headers.set('x-ratelimit-remaining', '0');
      return headers;
    };

    // Three calls out; the first comes back 429, and waits.
    const tickets = [await pacer.acquire(), await pacer.acquire(), await pacer.acquire()];
    pacer.settle(refusal(), true, tickets[0]);
    let outcome: string | undefined;
    const early = pacer.roomOrReset(700).then((o) => (outcome = o));
    // Another refusal is no evidence of room.
    pacer.settle(refusal(), true, tickets[1]);
    await Promise.resolve();
    expect(outcome).toBeUndefined();
    // An answer that went through with room left is: the wait ends before the reset.
    pacer.settle(w.serve(), false, tickets[2]);
    await early;
    expect(outcome).toBe('room');
    expect(timers.map((t) => t.ms)).toEqual([700]);
    // The reset's timer was called off, not left running.
    expect(timers[0]!.signal?.aborted).toBe(true);
    // The retry takes its slot like any call: the window's count says there is one.
    const retry = await pacer.acquire();

    // Refused while nothing else is out: the caller sits out the wait it was given.
    pacer.settle(refusal(), true, retry);
    const alone = pacer.roomOrReset(650);
    await Promise.resolve();
    expect(timers.map((t) => t.ms)).toEqual([700, 650]);
    timers[1]!.release();
    expect(await alone).toBe('reset');
    expect(w.overruns).toEqual([]);
  }, 10_000);
});
