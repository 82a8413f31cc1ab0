/**
 * The raw edge probe: a TCP connection, a TLS 1.2 ClientHello, and the server's answer read up to
 * ServerHelloDone (or an alert). The socket is closed then; no keys are ever exchanged.
 */
import { randomBytes } from 'node:crypto';
import { Socket } from 'node:net';
import { assertProcessOnline } from '../workstation/role-guard.ts';
import { buildClientHello } from './client-hello.ts';
import { readServerFlight, TlsParseError, type ServerFlight } from './server-flight.ts';

export type ProbeOutcome =
  | { kind: 'flight'; flight: ServerFlight }
  /** The server closed the connection before ServerHelloDone or an alert. */
  | { kind: 'closed'; received: number }
  | { kind: 'network-error'; code: string; message: string }
  | { kind: 'malformed'; message: string };

export interface ProbeTarget {
  /** Where to connect (the `connectTo` address, or the endpoint's host). */
  host: string;
  port: number;
  /** SNI: the endpoint's host name. */
  serverName: string;
  timeoutMs?: number;
}

export function probeServerFlight(target: ProbeTarget): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    assertProcessOnline(`a TLS probe of ${target.host}:${target.port}`);
    const socket = new Socket();
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(target.timeoutMs ?? 10_000, () =>
      finish({ kind: 'network-error', code: 'ETIMEDOUT', message: `No TLS answer from ${target.host}:${target.port} in time.` }),
    );
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'network-error', code: error.code ?? 'ERROR', message: error.message }),
    );
    socket.on('close', () => finish({ kind: 'closed', received: received.length }));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      try {
        const read = readServerFlight(received);
        if (read.complete) finish({ kind: 'flight', flight: read.flight });
      } catch (error) {
        if (!(error instanceof TlsParseError)) throw error;
        finish({ kind: 'malformed', message: error.message });
      }
    });
    socket.connect(target.port, target.host, () => {
      socket.write(buildClientHello({ serverName: target.serverName, random: randomBytes(32) }));
    });
  });
}
