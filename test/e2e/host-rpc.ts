import type { Channel, ChannelInput, ChannelOutput, Result } from '../../src/shared/contract/index.ts';
import type { RunningHost } from './web-host-fixture.ts';

export type HostRpc = <C extends Channel>(channel: C, input: ChannelInput<C>) => Promise<ChannelOutput<C>>;

/**
 * Calls the web host's `/rpc/<channel>` bridge from the test, as the renderer does (the access
 * token is the one in the printed link's fragment). For setting up what a spec does not test
 * through the UI; a failure throws with the host's code and message.
 */
export function hostRpc(host: RunningHost): HostRpc {
  const url = new URL(host.url);
  const token = new URLSearchParams(url.hash.replace(/^#/, '')).get('token');
  if (!token) throw new Error(`The host's link carries no token: ${host.url}`);
  return async (channel, input) => {
    const response = await fetch(new URL(`/rpc/${encodeURIComponent(channel)}`, url.origin), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    const result = (await response.json()) as Result<ChannelOutput<typeof channel>>;
    if (!result.ok)
      throw new Error(
        `${channel} failed: ${result.error.code}${result.error.field ? ` (${result.error.field})` : ''}: ${result.error.message}`,
      );
    return result.value;
  };
}

/**
 * The channel a request from the page calls, or null for anything else. The renderer sends
 * `/rpc/<channel>` percent-encoded (`certs%3Ainspect-csr`), so a URL pattern with the plain channel
 * name never matches: compare the decoded path instead.
 */
export function rpcChannelOf(url: string): string | null {
  const { pathname } = new URL(url);
  if (!pathname.startsWith('/rpc/')) return null;
  return decodeURIComponent(pathname.slice('/rpc/'.length));
}

/** A `page.route` matcher for one channel's calls. */
export function rpcCallTo(channel: Channel): (url: URL) => boolean {
  return (url) => rpcChannelOf(url.href) === channel;
}
