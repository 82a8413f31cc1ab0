import { errorCodeInfo, type ErrorCategory } from '../../../shared/contract/index.ts';

// Worded per kind of trouble, not per code: the contract's table says which codes pass by themselves.
const TRANSIENT_NOTE: Partial<Record<ErrorCategory, string>> = {
  auth0: 'Auth0 is busy or unreachable: this usually passes by itself, and certdesk retries queued work. Nothing is lost.',
};
const TRANSIENT_FALLBACK = 'This usually passes by itself: try again in a moment. Nothing is lost.';

/** The line to add under a failure whose code may pass by itself; null when someone has to act first. */
export function transientNote(code: string | undefined): string | null {
  if (code === undefined) return null;
  const info = errorCodeInfo(code);
  return info.transient ? (TRANSIENT_NOTE[info.category] ?? TRANSIENT_FALLBACK) : null;
}
