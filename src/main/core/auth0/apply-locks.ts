/**
 * Who may reconcile what at the same time. Two applies never work on the same application at
 * once (each computes client_authentication_methods from its own read, and the later PATCH would
 * drop the other's credential); applies on different applications of one tenant run side by side.
 * A whole-tenant apply waits for all of them, and they for it.
 */
const WHOLE = '*';

export class ApplyLocks {
  private readonly held = new Map<string, Set<string>>();
  private waiters: (() => void)[] = [];

  /** Resolves with a release function once `clientIds` (or the whole tenant, when absent) are free. */
  async acquire(tenantId: string, clientIds?: readonly string[]): Promise<() => void> {
    const keys = clientIds ? [...new Set(clientIds)] : [WHOLE];
    for (;;) {
      const held = this.held.get(tenantId) ?? new Set<string>();
      const free = clientIds ? !held.has(WHOLE) && keys.every((k) => !held.has(k)) : held.size === 0;
      if (free) {
        for (const k of keys) held.add(k);
        this.held.set(tenantId, held);
        return () => {
          for (const k of keys) held.delete(k);
          if (held.size === 0) this.held.delete(tenantId);
          const waiting = this.waiters;
          this.waiters = [];
          for (const wake of waiting) wake();
        };
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
