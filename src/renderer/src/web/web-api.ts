import { CHANNELS, type CertdeskApi, type Channel, type ChannelOutput, type Failure, type Result } from '../../../shared/contract/index.ts';
import { ConnectionWatch } from './connection.ts';
import { EventStream } from './event-stream.ts';
import { isResult } from './result-guard.ts';

const channelSet: ReadonlySet<string> = new Set(CHANNELS);

function unreachable(reason: string): Result<never> {
  return {
    ok: false,
    error: { code: 'INTERNAL', message: `The certdesk web host is not reachable: ${reason}. Is \`npm run web\` still running?` },
  };
}

function fail(error: Failure): Result<never> {
  return { ok: false, error };
}

/** The web host's reachability, for the connection banner; one per page, like the token. */
export const webConnection = new ConnectionWatch();

/** The same `CertdeskApi` the preload exposes, over the web host's `/rpc` and `/events`. */
export function createWebApi(token: string): CertdeskApi {
  const events = new EventStream(token, webConnection);
  return {
    async invoke<C extends Channel>(channel: C, input: unknown): Promise<Result<ChannelOutput<C>>> {
      // Typed callers cannot get here; untyped ones (devtools, a stale build) get the host's answer locally.
      if (!channelSet.has(channel)) {
        return fail({ code: 'UNKNOWN_CHANNEL', message: `There is no channel "${String(channel).slice(0, 80)}".`, field: 'channel' });
      }
      let response: Response;
      try {
        response = await fetch(`/rpc/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
      } catch (error) {
        // The event stream notices a return; a failed request is news of the loss at once.
        webConnection.set('lost');
        return unreachable(error instanceof Error ? error.message : String(error));
      }
      if (response.status === 401) webConnection.set('token-rejected');
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        return unreachable(`it answered HTTP ${response.status} without a certdesk result`);
      }
      if (!isResult(body)) return unreachable(`it answered HTTP ${response.status} with something other than a certdesk result`);
      return body as Result<ChannelOutput<C>>;
    },
    onEvent(listener) {
      return events.subscribe(listener);
    },
  };
}
