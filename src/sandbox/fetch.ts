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
