import { request as httpRequest } from 'node:http';

/**
 * A `fetch` for the `auth0` SDK (its `fetch` option) that sends `https://<tenant domain>/…` to the
 * sandbox's local HTTP server, so the real SDK talks to the emulator unchanged.
 */
export function createSandboxFetch(sandbox: { domain: string; url: string }, inner: typeof fetch = fetch): typeof fetch {
  const target = new URL(sandbox.url);
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
 * the issuer of its tokens and its discovery document follow the Host. Other hosts go to `inner`.
 */
export function createHostMappedFetch(origins: () => Record<string, string>, inner: typeof fetch = fetch): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const origin = origins()[url.host.toLowerCase()];
    if (!origin) return inner(input, init);
    const target = new URL(origin);
    const headers: Record<string, string> = Object.fromEntries(request.headers.entries());
    headers.host = url.host;
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const req = httpRequest(
        {
          host: target.hostname,
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
