/**
 * Whether the web host answers: `lost` when a request or the event stream could not reach it,
 * `token-rejected` when it answers but no longer knows this page's token (it was restarted: a new
 * run has a new token), `online` again as soon as the event stream is back.
 */
export type ConnectionState = 'online' | 'lost' | 'token-rejected';

type Listener = (state: ConnectionState) => void;

export class ConnectionWatch {
  private current: ConnectionState = 'online';
  private readonly listeners = new Set<Listener>();

  get state(): ConnectionState {
    return this.current;
  }

  set(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
