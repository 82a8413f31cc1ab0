/** Time is injected so that validity, expiry and schedules are testable with fixed dates. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | number): Clock {
  const time = typeof at === 'number' ? at : at.getTime();
  return { now: () => new Date(time) };
}
