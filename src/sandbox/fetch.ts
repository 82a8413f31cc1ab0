import { request as httpRequest } from 'node:http';
import { isIPv4 } from 'node:net';

/** A name under `.test`, reserved by RFC 6761 for testing: no real tenant, API or custom domain can have one. */
export function isReservedTestDomain(name: string): boolean {
  return /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+test$/i.test(name);
}

/** An http origin on this machine's loopback (127.0.0.0/8 or ::1), by address: no name, so no resolver can move it. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.username || url.password) return false;
  if (url.hostname === '[::1]') return true;
  return isIPv4(url.hostname) && url.hostname.split('.')[0] === '127';
}

function loopbackOnly(origin: string): URL {
  if (!isLoopbackOrigin(origin))
    throw new TypeError(`The sandbox answers on this machine's loopback only (http://127.0.0.1:PORT); ${origin} is not such an origin.`);
  return new URL(origin);
}

/**
 * A `fetch` for the `auth0` SDK (its `fetch` option) that sends `https://<tenant domain>/…` to the
 * sandbox's local HTTP server, so the real SDK talks to the emulator unchanged. For code that holds
 * the sandbox itself (tests); it maps exactly the one domain it is given, to a loopback origin only.
 */
export function createSandboxFetch(sandbox: { domain: string; url: string }, inner: typeof fetch = fetch): typeof fetch {
  const target = loopbackOnly(sandbox.url);
  const rewrite = (raw: string): string => {
    const url = new URL(raw);
    if (url.host.toLowerCase() !== sandbox.domain.toLowerCase()) return raw;
    url.protocol = target.protocol;
    url.host = target.host;
    return url.href;
  };
  return ((input: string | URL | Request, init?: RequestInit) => {
    if (input instanceof Request) return inner(new Request(rewrite(input.url), input), init);
    return inner(rewrite(input instanceof URL ? input.href : input), init);
  }) as typeof fetch;
}

/**
 * A `fetch` that sends `https://<host>/…` for the mapped hosts to a local HTTP origin and keeps
 * the Host header (undici's fetch replaces it), so the sandbox answers as that custom domain would:
 * the issuer of its tokens and its discovery document follow the Host. Other hosts go to `inner`
 * untouched. Which hosts may be mapped at all is the caller's policy (certdesk's: SandboxHost).
 */
export function createHostMappedFetch(origins: () => Record<string, string>, inner: typeof fetch = fetch): typeof fetch {
  return createHostRoutedFetch((url) => {
    const mapped = origins();
    const host = url.host.toLowerCase();
    return Object.hasOwn(mapped, host) ? mapped[host] : undefined;
  }, inner);
}

/**
 * The same, with the route decided per request (and possibly after a check that takes a while):
 * `route` gives the loopback origin for a URL, or undefined to leave the request to `inner` as it
 * is. An origin that is not on the loopback is refused: it would send cleartext off this machine.
 */
export function createHostRoutedFetch(
  route: (url: URL) => string | undefined | Promise<string | undefined>,
  inner: typeof fetch = fetch,
): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : input);
    const origin = await route(url);
    if (origin === undefined) return inner(input, init);
    const target = loopbackOnly(origin);
    const request = new Request(input, init);
    const headers: Record<string, string> = Object.fromEntries(request.headers.entries());
    headers.host = url.host;
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname.replace(/^\[|\]$/g, ''),
          port: target.port,
          method: request.method,
          path: `${url.pathname}${url.search}`,
          headers,
          signal: request.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 502;
            const responseHeaders = new Headers();
            for (const [name, value] of Object.entries(res.headers))
              for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) responseHeaders.append(name, v);
            resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
          });
        },
      );
      req.on('error', (cause) => reject(new TypeError('fetch failed', { cause })));
      req.end(body);
    });
  }) as typeof fetch;
}
