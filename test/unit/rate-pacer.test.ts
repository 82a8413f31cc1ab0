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
});
