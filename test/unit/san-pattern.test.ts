import { describe, expect, it } from 'vitest';
import { expandSanPattern, sanPatternProblem } from '../../src/shared/san-pattern.ts';

describe('SAN patterns', () => {
  it('replaces every {cn} with the common name and nothing else', () => {
    expect(expandSanPattern('{cn}.clients.example.com', 'pay')).toBe('pay.clients.example.com');
    expect(expandSanPattern('spiffe://example.org/{cn}/{cn}', 'a')).toBe('spiffe://example.org/a/a');
    expect(expandSanPattern('fixed.example.com', 'pay')).toBe('fixed.example.com');
    // What the common name holds is text, never a further pattern.
    expect(expandSanPattern('{cn}.example.com', '{cn}')).toBe('{cn}.example.com');
  });

  it('accepts patterns that make a valid SAN and refuses any other substitution', () => {
    expect(sanPatternProblem('dns', '{cn}.clients.example.com')).toBeNull();
    expect(sanPatternProblem('email', 'ops+{cn}@example.com')).toBeNull();
    expect(sanPatternProblem('uri', 'spiffe://example.org/{cn}')).toBeNull();
    expect(sanPatternProblem('dns', '{host}.example.com')).toContain('only substitute {cn}');
    expect(sanPatternProblem('dns', '${cn}.example.com')).not.toBeNull();
    expect(sanPatternProblem('dns', '{{cn}}.example.com')).toContain('only substitute {cn}');
    expect(sanPatternProblem('dns', '{cn}_x.example.com')).toContain('DNS SAN');
    expect(sanPatternProblem('dns', '')).toContain('empty');
  });
});
