import { describe, expect, it } from 'vitest';
import type { EdgeRequest } from '../../src/main/core/evidence/access-log-line.ts';
import { UsageTally } from '../../src/main/core/evidence/usage-tally.ts';

const at = (iso: string) => Date.parse(iso);
const request = (overrides: Partial<EdgeRequest>): EdgeRequest => ({
  at: at('2026-05-01T10:00:00Z'),
  serial: 'abc1',
  issuer: 'CN=Test Issuing',
  verify: 'SUCCESS',
  path: '/oauth/token',
  status: 200,
  ...overrides,
});

describe('the usage tally', () => {
  it('counts a presented certificate even when the edge refused it, but only verified 2xx token answers as successes', () => {
    const tally = new UsageTally({ match: (serial) => (serial === 'abc1' ? 'cert_a' : null) });
    tally.add(request({ at: at('2026-05-01T10:00:30Z') }));
    tally.add(request({ at: at('2026-05-01T10:05:00Z'), verify: 'FAILED:certificate revoked', status: 400 }));
    // Written out of order (two workers): the latest time decides the last status, the earliest the first seen.
    tally.add(request({ at: at('2026-05-01T09:59:00Z'), path: '/userinfo', status: 200 }));
    tally.add(request({ at: at('2026-05-01T10:01:00Z'), path: '/x/oauth/token/extra', status: 200 }));
    tally.add(request({ serial: '', issuer: '', verify: 'NONE', status: 400 }));
    tally.add(request({ serial: 'ffff', issuer: 'CN=Other', status: 400, verify: 'FAILED:unable to get issuer certificate' }));

    const a = tally.certificates.get('cert_a')!;
    expect(a).toMatchObject({
      firstSeen: at('2026-05-01T09:59:00Z'),
      lastSeen: at('2026-05-01T10:05:00Z'),
      requests: 4,
      lastStatus: 400,
      tokenSuccesses: 1,
    });
    expect([...a.minutes.entries()].sort(([x], [y]) => x - y)).toEqual([
      [at('2026-05-01T09:59:00Z'), { requests: 1, tokenSuccesses: 0 }],
      [at('2026-05-01T10:00:00Z'), { requests: 1, tokenSuccesses: 1 }],
      [at('2026-05-01T10:01:00Z'), { requests: 1, tokenSuccesses: 0 }],
      [at('2026-05-01T10:05:00Z'), { requests: 1, tokenSuccesses: 0 }],
    ]);
    expect(tally.anonymous).toBe(1);
    expect([...tally.unknown.values()]).toMatchObject([{ serial: 'ffff', issuer: 'CN=Other', requests: 1, lastStatus: 400 }]);
  });
});
