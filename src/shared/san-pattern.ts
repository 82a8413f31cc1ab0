// A template's SAN patterns (issue 13): the one substitution certdesk knows is `{cn}`, replaced by
// the common name typed at issue time. It is plain text replacement, never evaluated: any other
// brace is refused, so a pattern cannot grow into an expression language later by accident.

import { sanProblem, type SanKind } from './validation.ts';

export const SAN_PLACEHOLDER = '{cn}';

/** A common name every valid pattern must expand to a valid SAN with (a single DNS label). */
const SAMPLE_CN = 'client';

/** The pattern with every `{cn}` replaced by `commonName`; nothing else in it is interpreted. */
export function expandSanPattern(pattern: string, commonName: string): string {
  return pattern.split(SAN_PLACEHOLDER).join(commonName);
}

/** Whether the pattern holds the placeholder, so the SAN follows the common name. */
export function hasPlaceholder(pattern: string): boolean {
  return pattern.includes(SAN_PLACEHOLDER);
}

/** Why the pattern is refused, or null: only `{cn}` may appear in braces, and it must make a valid SAN. */
export function sanPatternProblem(type: SanKind, pattern: string): string | null {
  if (pattern.length === 0) return 'a SAN pattern must not be empty';
  if (pattern.length > 253) return 'a SAN pattern is longer than 253 characters';
  const rest = pattern.split(SAN_PLACEHOLDER).join('');
  if (/[{}]/.test(rest)) return `a SAN pattern may only substitute ${SAN_PLACEHOLDER}, such as ${SAN_PLACEHOLDER}.clients.example.com`;
  return sanProblem(type, expandSanPattern(pattern, SAMPLE_CN));
}
