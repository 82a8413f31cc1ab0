import { describe, expect, it } from 'vitest';
import { parseConfig, readBack, splitDump } from '../support/nginx-conf.ts';

// The reader the edge property test trusts to see what nginx sees: its rules, case by case.
describe('nginx configuration reader (test support)', () => {
  it('splits on white space, `;`, `{` and `}`, and skips comments only at the start of a word', () => {
    expect(parseConfig('a b\tc;\n# all of this; {\nd e#f { g; }')).toEqual([
      { name: 'a', args: ['b', 'c'] },
      { name: 'd', args: ['e#f'], block: [{ name: 'g', args: [] }] },
    ]);
  });

  it('reads quotes and escapes as nginx does, and `${` inside a variable is not a block', () => {
    expect(parseConfig(`x "a; b" 'c{d}' e\\;f "g\\"h" \\t ;`)).toEqual([{ name: 'x', args: ['a; b', 'c{d}', 'e\\;f', 'g"h', '\t'] }]);
    expect(parseConfig('set $a ${b}c;')).toEqual([{ name: 'set', args: ['$a', '${b}c'] }]);
    // `}` inside a word belongs to the word: only at a word's start does it close a block.
    expect(parseConfig('s { a b}; }')).toEqual([{ name: 's', args: [], block: [{ name: 'a', args: ['b}'] }] }]);
  });

  it('refuses what nginx refuses', () => {
    for (const text of ['a', 'a {', '}', ';', 'a "b"c;', 'a b }'] as const) expect(() => parseConfig(text), text).toThrow();
  });

  it('expands includes from an nginx -T dump, and refuses a dump that names a file twice', () => {
    const dump = '# configuration file /m.conf:\nhttp { include /s.conf; }\n\n# configuration file /s.conf:\nserver { listen 1; }\n\n';
    expect(readBack(dump, '/m.conf')).toEqual([
      { name: 'http', args: [], block: [{ name: 'server', args: [], block: [{ name: 'listen', args: ['1'] }] }] },
    ]);
    expect(() => splitDump(`${dump}# configuration file /s.conf:\nx;\n`)).toThrow(/twice/);
  });
});
