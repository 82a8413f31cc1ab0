import type { CertdeskEvent } from '../../../shared/contract/index.ts';
import type { ConnectionWatch } from './connection.ts';
import { isCertdeskEvent } from './result-guard.ts';

type Listener = (event: CertdeskEvent) => void;

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;

/**
 * One `GET /events` NDJSON stream shared by every listener: opened with the first listener,
 * closed with the last, and reopened with exponential backoff when the host drops it (a
 * restart of `npm run web`, a laptop waking up).
 */
export class EventStream {
  private readonly listeners = new Set<Listener>();
  private readonly headers: Record<string, string>;
  private abort: AbortController | null = null;

  private readonly connection: ConnectionWatch | undefined;

  /** `connection` learns when the stream drops and when it is back: the page's connection banner follows it. */
  constructor(token: string, connection?: ConnectionWatch) {
    this.headers = { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' };
    this.connection = connection;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.abort) {
      this.abort = new AbortController();
      void this.run(this.abort.signal);
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.abort?.abort();
        this.abort = null;
      }
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    let delay = FIRST_RETRY_MS;
    let connected = false;
    while (!signal.aborted) {
      try {
        const response = await fetch('/events', { headers: this.headers, signal, cache: 'no-store' });
        if (response.ok && response.body) {
          delay = FIRST_RETRY_MS;
          this.connection?.set('online');
          // Back after a drop: whatever was sent meanwhile is lost, so the pages read again what they show.
          if (connected) this.dispatch({ type: 'store-changed' });
          connected = true;
          await this.read(response.body, signal);
        } else if (response.status === 401) {
          this.connection?.set('token-rejected');
        }
      } catch {
        // A dropped connection is expected; the loop below retries.
      }
      if (signal.aborted) return;
      if (this.connection?.state === 'online') this.connection.set('lost');
      await sleep(delay, signal);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    }
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const cancel = () => void reader.cancel().catch(() => {});
    signal.addEventListener('abort', cancel, { once: true });
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) this.deliver(line);
      }
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  }

  private deliver(line: string): void {
    const text = line.trim();
    if (!text) return; // keep-alive
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if (isCertdeskEvent(parsed)) this.dispatch(parsed);
  }

  private dispatch(event: CertdeskEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener must not starve the others.
        console.error(error);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
