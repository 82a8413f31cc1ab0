import { hostname, userInfo } from 'node:os';

let cached: string | undefined;

/**
 * Who did it, as the operating system says: `user@host` of the process that wrote the entry.
 * Never a value a caller (the renderer, a web client) passes in, so it cannot be chosen.
 */
export function osActor(): string {
  if (cached !== undefined) return cached;
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers): the uid is still the OS's answer.
    user = `uid-${process.getuid?.() ?? 'unknown'}`;
  }
  cached = `${user}@${hostname()}`;
  return cached;
}
