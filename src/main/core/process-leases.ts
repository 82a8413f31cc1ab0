/**
 * Holding a SQLite lease for as long as some work in this process needs it: counted (several
 * pieces of work in this process may share one key), renewed while held, released by the last one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseRepository } from './store/lease-repository.ts';

const TTL_MS = 120_000;

export class ProcessLeases {
  private readonly repository: LeaseRepository;
  private readonly held = new Map<string, { count: number; timer: NodeJS.Timeout }>();

  constructor(repository: LeaseRepository) {
    this.repository = repository;
  }

  /** Takes the lease now, or returns null when another process holds it. */
  tryHold(key: string): (() => void) | null {
    const current = this.held.get(key);
    if (current) {
      current.count += 1;
      return this.releaser(key);
    }
    if (!this.repository.tryAcquire(key, TTL_MS)) return null;
    const timer = setInterval(() => this.repository.tryAcquire(key, TTL_MS), TTL_MS / 3);
    timer.unref();
    this.held.set(key, { count: 1, timer });
    return this.releaser(key);
  }

  /** Waits (up to `waitMs`) for the lease; null when another process kept it all that time. */
  async hold(key: string, waitMs: number): Promise<(() => void) | null> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const release = this.tryHold(key);
      if (release || Date.now() >= deadline) return release;
      await sleep(100);
    }
  }

  private releaser(key: string): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const current = this.held.get(key);
      if (!current) return;
      current.count -= 1;
      if (current.count > 0) return;
      clearInterval(current.timer);
      this.held.delete(key);
      this.repository.release(key);
    };
  }
}
