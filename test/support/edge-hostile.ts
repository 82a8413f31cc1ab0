/**
 * Hostile values for every edge setting: good values with injected fragments (directive breakers,
 * user-info, query, fragment, look-alike Unicode), and arbitrary strings.
 */
import fc from 'fast-check';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { EDGE_SETTING_FIELDS } from '../../src/shared/validation.ts';

export type EdgeField = keyof EdgeSettings;

export const EDGE_FIELDS: EdgeField[] = [...EDGE_SETTING_FIELDS];

export const FRAGMENTS = [
  ';',
  '}',
  '{',
  '$',
  '\n',
  '\r',
  '\t',
  '#',
  '"',
  "'",
  ' ',
  '\\',
  'a:b@',
  '@',
  '?q',
  '?',
  '#f',
  '*',
  '/',
  '//',
  '/..',
  '/.',
  ':',
  '[',
  ']',
  '%3B',
  '\u0000',
  'é',
  'Ü',
  '\uFF1B', // full-width ';', which the URL parser maps to ';' in a host
  '\uFF5B', // full-width '{'
  '\u3002', // ideographic full stop, which IDNA maps to '.'
  '\u200B',
  '\u00A0',
  '\u2028',
  'xn--',
  '-',
  '.',
  '0',
  '$host',
  '${x}',
  ';\n\tproxy_set_header\tclient-certificate-ca-verified\tSUCCESS;',
  ';}location @dead{',
];

/** Inserts up to three fragments (or short arbitrary strings) at arbitrary places of a good value. */
export function injected(good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const piece = fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 3 }));
  return fc.tuple(good, fc.array(fc.tuple(fc.nat(), piece), { maxLength: 3 })).map(([base, inserts]) =>
    inserts.reduce((value, [at, frag]) => {
      const i = at % (value.length + 1);
      return value.slice(0, i) + frag + value.slice(i);
    }, base),
  );
}

/** Arbitrary text: any code point, whole graphemes, or a soup of the characters that matter here. */
export const anyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.constantFrom(...[...new Set(FRAGMENTS.join(''))], 'a', 'Z', '1', '/', ':', '.', '-') }),
);

export const hosts = fc.oneof(
  fc.constantFrom('auth.example.test', 'Auth.Example.TEST', 'bücher.example', 'xn--bcher-kva.example', '192.0.2.7', 'a-b.c-d.example'),
  fc.domain(),
);

const PATH_FIELDS = new Set<EdgeField>(['serverCertificatePath', 'serverKeyPath', 'cnameApiKeyInclude', 'bundleDir', 'accessLog']);

/** Good values of every field; a path field's value is the part below its folder. */
function goodValues(port: number): Record<EdgeField, fc.Arbitrary<string>> {
  return {
    serverName: hosts,
    upstreamHost: hosts,
    listen: fc.constantFrom(`127.0.0.1:${port}`, `${port}`),
    serverCertificatePath: fc.constantFrom('server.pem', 'tls//server.pem/', 'a+b@c=d,e~f.pem', '-x/_y.z'),
    serverKeyPath: fc.constantFrom('server.key', 'tls/server.key', 'K.key'),
    cnameApiKeyInclude: fc.constantFrom('cname-api-key.conf', 'secret/cname.conf'),
    bundleDir: fc.constantFrom('bundle', 'bundle/', 'nginx//certdesk'),
    upstream: fc.oneof(
      fc.constantFrom(
        'http://127.0.0.1:9',
        'https://127.0.0.1:8443/',
        'http://[::1]:9',
        'HTTPS://[0:0::1]',
        'http://localhost:9',
        'https://tenant.example',
        'https://Bücher.example/',
        'https://tenant.example:443',
      ),
      fc.webUrl(),
    ),
    clientIpHeader: fc.constantFrom(
      'X-Forwarded-For',
      'True-Client-IP',
      'cf-connecting-ip',
      'X-Azure-ClientIP',
      'client-certificate-ca-verified',
      'Host',
    ),
    verifyClient: fc.constantFrom('on', 'optional', 'off'),
    accessLog: fc.constantFrom('access.jsonl', 'log//certdesk-mtls.log/', 'a+b@c=d,e~f.log'),
  };
}

/**
 * A field and a hostile value for it. `live` is for a run against real nginx: injections stay below
 * `dir` in a path (so what is accepted can be created there), and `listen` keeps the free port
 * (an injected digit makes it too long, an injected prefix no address); elsewhere anything goes.
 */
export function hostileSetting(dir: string, port: number, live: boolean): fc.Arbitrary<[EdgeField, string]> {
  const good = goodValues(port);
  // Unchanged good values too, so about half the runs reach the accepted branch.
  const mix = (good: fc.Arbitrary<string>) =>
    fc.oneof({ arbitrary: good, weight: 2 }, { arbitrary: injected(good), weight: 3 }, { arbitrary: anyString, weight: 1 });
  return fc.oneof(
    ...EDGE_FIELDS.map((field) => {
      const value =
        live && field === 'listen'
          ? fc.oneof(good.listen, injected(good.listen))
          : PATH_FIELDS.has(field) && live
            ? mix(good[field]).map((below) => `${dir}/${below}`)
            : PATH_FIELDS.has(field)
              ? mix(good[field].map((below) => `${dir}/${below}`))
              : mix(good[field]);
      return value.map((v): [EdgeField, string] => [field, v]);
    }),
  );
}
