/**
 * Rate limits and fault injection. Auth0 answers every call with `x-ratelimit-*` headers and a 429
 * once a limit is spent; the sandbox does the same per API (Management, Authentication) with a
 * fixed one-second window. Failures (5xx, reset connections) are drawn from a seeded PRNG, so a test
 * that fixes the seed sees the same sequence every run.
 */

export type SandboxApi = 'management' | 'authentication';

export interface FaultConfig {
  /** Requests per second per API before a 429. Default 1000. */
  rateLimitPerSecond?: number;
  /** Share (0..1) of requests answered with `fail5xxStatus`. */
  fail5xxShare?: number;
  /** Share (0..1) of requests answered 429 although the window has room: another client's burst, as seen from here. */
  fail429Share?: number;
  /** Status used for injected failures. Default 503. */
  fail5xxStatus?: number;
  /** Delay before every answer, in milliseconds. */
  latencyMs?: number;
  /** Share (0..1) of requests whose connection is destroyed without an answer. */
  resetShare?: number;
  /** `token_type` of certificate-bound access tokens: Auth0's pages disagree, so both are offered. */
  tokenType: 'Bearer' | 'DPoP';
  /** PRNG seed for the shares above. Default 1. */
  seed?: number;
  /** Which API the 5xx, reset and latency faults hit. Rate limits always apply to both. Default 'all'. */
  appliesTo?: 'all' | SandboxApi;
}

export type FaultDecision =
  | { kind: 'pass'; headers: Record<string, string> }
  | { kind: 'reset' }
  /** `injected`: a share-drawn 429 (another client's burst); false when the window itself is full. */
  | { kind: 'rate-limited'; headers: Record<string, string>; injected: boolean }
  | { kind: 'fail'; status: number; headers: Record<string, string> };

export const DEFAULT_RATE_LIMIT = 1000;

/** mulberry32: tiny, fast, and good enough to spread injected faults evenly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Window {
  startSecond: number;
  count: number;
}

export class FaultInjector {
  private config: FaultConfig;
  private random: () => number;
  private readonly now: () => number;
  private readonly windows = new Map<SandboxApi, Window>();

  constructor(config: Partial<FaultConfig> | undefined, now: () => number) {
    this.config = { tokenType: 'Bearer', ...config };
    this.random = mulberry32(this.config.seed ?? 1);
    this.now = now;
  }

  get settings(): Readonly<FaultConfig> {
    return this.config;
  }

  /** Merges `partial` into the configuration; a new `seed` restarts the PRNG, and the rate windows reset. */
  configure(partial: Partial<FaultConfig>): void {
    this.config = { ...this.config, ...partial };
    if (partial.seed !== undefined) this.random = mulberry32(partial.seed);
    this.windows.clear();
  }

  latencyFor(api: SandboxApi): number {
    return this.hits(api) ? (this.config.latencyMs ?? 0) : 0;
  }

  /** Decides the fate of one request and counts it against the API's rate window. */
  decide(api: SandboxApi): FaultDecision {
    if (this.hits(api) && (this.config.resetShare ?? 0) > 0 && this.random() < (this.config.resetShare ?? 0)) return { kind: 'reset' };
    const limit = this.config.rateLimitPerSecond ?? DEFAULT_RATE_LIMIT;
    const second = Math.floor(this.now() / 1000);
    let window = this.windows.get(api);
    if (!window || window.startSecond !== second) {
      window = { startSecond: second, count: 0 };
      this.windows.set(api, window);
    }
    window.count += 1;
    const headers = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - window.count)),
      'x-ratelimit-reset': String(second + 1),
    };
    if (window.count > limit) return { kind: 'rate-limited', headers, injected: false };
    if (this.hits(api) && (this.config.fail429Share ?? 0) > 0 && this.random() < (this.config.fail429Share ?? 0)) {
      return { kind: 'rate-limited', headers: { ...headers, 'x-ratelimit-remaining': '0' }, injected: true };
    }
    if (this.hits(api) && (this.config.fail5xxShare ?? 0) > 0 && this.random() < (this.config.fail5xxShare ?? 0)) {
      return { kind: 'fail', status: this.config.fail5xxStatus ?? 503, headers };
    }
    return { kind: 'pass', headers };
  }

  private hits(api: SandboxApi): boolean {
    const scope = this.config.appliesTo ?? 'all';
    return scope === 'all' || scope === api;
  }
}
