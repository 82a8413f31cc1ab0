import { describe, expect, it } from 'vitest';
import { ApplyLocks } from '../../src/main/core/auth0/apply-locks.ts';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ApplyLocks', () => {
  it('lets applies on different applications run together, and makes a second apply on the same application wait', async () => {
    const locks = new ApplyLocks();
    const order: string[] = [];
    const releaseA = await locks.acquire('t', ['app-a']);
    const releaseB = await locks.acquire('t', ['app-b']);
    const secondA = locks.acquire('t', ['app-a']).then((release) => (order.push('second a'), release));
    await tick();
    expect(order).toEqual([]);
    releaseB();
    await tick();
    expect(order).toEqual([]);
    releaseA();
    (await secondA)();
    expect(order).toEqual(['second a']);
  });

  it('makes a whole-tenant apply wait for every application, and them for it; other tenants are free', async () => {
    const locks = new ApplyLocks();
    const events: string[] = [];
    const releaseApp = await locks.acquire('t', ['app']);
    const whole = locks.acquire('t').then((release) => (events.push('whole'), release));
    const other = await locks.acquire('other-tenant');
    other();
    await tick();
    expect(events).toEqual([]);
    releaseApp();
    const releaseWhole = await whole;
    const app = locks.acquire('t', ['app-2']).then((release) => (events.push('app-2'), release));
    await tick();
    expect(events).toEqual(['whole']);
    releaseWhole();
    (await app)();
    expect(events).toEqual(['whole', 'app-2']);
  });
});
