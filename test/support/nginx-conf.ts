/**
 * Reads an nginx configuration back as nginx reads it: a tokenizer that follows nginx's own
 * (ngx_conf_read_token: whitespace, `;`, `{`, `}`, `#` comments at a token's start, quotes,
 * backslash escapes, `${` inside a variable), a parser into a directive tree, and the `nginx -T`
 * dump split into its files so `include` can be expanded the way nginx expanded it.
 */

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

type Token = { kind: 'word'; value: string } | { kind: ';' | '{' | '}' };

const SPACE = new Set([' ', '\t', '\r', '\n']);

/** nginx's unescaping of a finished word: `\"`, `\'`, `\\` lose the backslash; `\t`, `\r`, `\n` become the character. */
function unescape(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    const next = raw[i + 1];
    if (c === '\\' && next !== undefined) {
      if (next === '"' || next === "'" || next === '\\') {
        out += next;
        i++;
        continue;
      }
      const control = ({ t: '\t', r: '\r', n: '\n' } as Record<string, string>)[next];
      if (control !== undefined) {
        out += control;
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let words = 0; // words since the last `;`, `{` or `}`: nginx refuses `;` or `{` without any, `}` after some
  let lastSpace = true;
  let needSpace = false;
  let comment = false;
  let quoted = false;
  let single = false;
  let double = false;
  let variable = false;
  let start = 0;
  const punct = (kind: ';' | '{' | '}') => {
    tokens.push({ kind });
    words = 0;
    lastSpace = true;
    needSpace = false;
    variable = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n' && comment) comment = false;
    if (comment) continue;
    if (quoted) {
      quoted = false;
      continue;
    }
    if (needSpace) {
      if (SPACE.has(ch)) {
        lastSpace = true;
        needSpace = false;
        continue;
      }
      if (ch === ';' || ch === '{') {
        punct(ch);
        continue;
      }
      if (ch !== ')') throw new Error(`unexpected ${JSON.stringify(ch)} at ${i}`);
      lastSpace = true;
      needSpace = false;
    }
    if (lastSpace) {
      start = i;
      if (SPACE.has(ch)) continue;
      if (ch === ';' || ch === '{') {
        if (words === 0) throw new Error(`unexpected ${ch} at ${i}`);
        punct(ch);
        continue;
      }
      if (ch === '}') {
        if (words !== 0) throw new Error(`unexpected } at ${i}`);
        punct('}');
        continue;
      }
      if (ch === '#') {
        comment = true;
        continue;
      }
      lastSpace = false;
      if (ch === '\\') quoted = true;
      else if (ch === '"' || ch === "'") {
        start = i + 1;
        double = ch === '"';
        single = ch === "'";
      } else if (ch === '$') variable = true;
      continue;
    }
    if (ch === '{' && variable) continue;
    variable = false;
    if (ch === '\\') {
      quoted = true;
      continue;
    }
    if (ch === '$') {
      variable = true;
      continue;
    }
    let found = false;
    if (double || single) {
      if (ch === (double ? '"' : "'")) {
        double = single = false;
        needSpace = true;
        found = true;
      }
    } else if (SPACE.has(ch) || ch === ';' || ch === '{') {
      lastSpace = true;
      found = true;
    }
    if (!found) continue;
    tokens.push({ kind: 'word', value: unescape(text.slice(start, i)) });
    words++;
    if (ch === ';' || ch === '{') punct(ch);
  }
  if (words > 0 || !lastSpace) throw new Error('unexpected end of file, expecting ";" or "}"');
  return tokens;
}

/** The directive tree of one file (its `include`s left as they are). */
export function parseConfig(text: string): Directive[] {
  const tokens = tokenize(text);
  let at = 0;
  const block = (nested: boolean): Directive[] => {
    const directives: Directive[] = [];
    let words: string[] = [];
    while (at < tokens.length) {
      const token = tokens[at++]!;
      if (token.kind === 'word') words.push(token.value);
      else if (token.kind === ';') {
        directives.push({ name: words[0]!, args: words.slice(1) });
        words = [];
      } else if (token.kind === '{') {
        directives.push({ name: words[0]!, args: words.slice(1), block: block(true) });
        words = [];
      } else {
        if (!nested) throw new Error('unexpected "}"');
        return directives;
      }
    }
    if (nested) throw new Error('unexpected end of file, expecting "}"');
    return directives;
  };
  return block(false);
}

/** The files of an `nginx -T` dump, by path, in the order nginx read them. */
export function splitDump(stdout: string): Map<string, string> {
  const files = new Map<string, string>();
  const headers = [...stdout.matchAll(/^# configuration file (.+):\n/gm)];
  headers.forEach((header, i) => {
    const path = header[1]!;
    // A second section for the same path could only come from a forged header line: never trust it.
    if (files.has(path)) throw new Error(`the dump names ${path} twice`);
    const end = i + 1 < headers.length ? headers[i + 1]!.index : stdout.length;
    // nginx writes each file's text followed by one newline of its own.
    files.set(path, stdout.slice(header.index + header[0].length, end).replace(/\n$/, ''));
  });
  return files;
}

/** The whole configuration nginx loaded from `mainConf`, every `include` replaced by what nginx read for it. */
export function readBack(stdout: string, mainConf: string): Directive[] {
  const files = splitDump(stdout);
  const expand = (path: string, depth: number): Directive[] => {
    const text = files.get(path);
    if (text === undefined) throw new Error(`nginx -T dumped no ${path}`);
    if (depth > 8) throw new Error('includes nest too deep');
    const walk = (directives: Directive[]): Directive[] =>
      directives.flatMap((d) =>
        d.name === 'include' && !d.block
          ? expand(d.args[0]!, depth + 1)
          : [{ name: d.name, args: d.args, ...(d.block ? { block: walk(d.block) } : {}) }],
      );
    return walk(parseConfig(text));
  };
  return expand(mainConf, 0);
}
