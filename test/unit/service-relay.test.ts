import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { connectRelay, type RelayHostOptions } from '../../src/main/host/relay/host-side.ts';
import type { RelayPort } from '../../src/main/host/relay/protocol.ts';
import { answerAsk, describeParts, remoteParts } from '../../src/main/host/relay/remote-parts.ts';
import { serveRelay, type ServiceOutlet } from '../../src/main/host/relay/service-side.ts';
import type { CertdeskEvent } from '../../src/shared/contract/index.ts';
import { openTestService } from '../support/service.ts';

const portOf = <Out, In>(port: MessagePort): RelayPort<Out, In> => ({
  post: (message) => port.postMessage(message),
  listen: (listener) => port.on('message', listener as (m: unknown) => void),
});

/** A real service (SQLite file, memory keychain) behind the relay over a MessageChannel, as a worker thread has it. */
function relayed(options: Partial<RelayHostOptions> = {}) {
  const t = openTestService();
  const { port1, port2 } = new MessageChannel();
  onTestFinished(() => {
    port1.close();
    port2.close();
  });
  const outlets: ServiceOutlet[] = [];
  serveRelay(portOf(port2), async (start, outlet) => {
    outlets.push(outlet);
    t.service.close();
    const { CertdeskService } = await import('../../src/main/core/service.ts');
    const service = CertdeskService.open({ dataDir: t.dataDir, secretStore: t.secretStore, mode: start.mode, emit: outlet.event });
    t.service = service;
    return { handlers: createHandlers(service, remoteParts(start.parts, outlet.ask)), stop: async () => service.close() };
  });
  const events: CertdeskEvent[] = [];
  const client = connectRelay(portOf(port1), {
    start: { dataDir: t.dataDir, mode: 'web', backgroundNotices: false },
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { t, client, events, outlets, port1 };
}

describe('the service relay (worker thread and utilityProcess share it)', () => {
  it('gives every outcome the shape the in-thread dispatch gives, and events flow back', async () => {
    const { t, client, events } = relayed();
    await client.ready;
    const created = await client.call('ca:create', { name: 'Relay Root', progressId: 'p1' });
    expect(created).toMatchObject({ ok: true, value: { name: 'Relay Root', kind: 'root' } });
    expect(events.some((e) => e.type === 'progress' && e.progressId === 'p1')).toBe(true);

    const handlers = createHandlers(t.service);
    const cases: Array<[unknown, unknown]> = [
      ['ca:list', {}],
      ['certs:get', { cert: 'cert_missing' }],
      ['ca:create', { name: 'x', extra: 1 }],
      ['no:such-channel', {}],
      [42, {}],
      ['ca:create', { name: 'Relay Root' }],
    ];
    for (const [channel, input] of cases) {
      const across = await client.call(channel, input);
      expect(across).toEqual(await dispatch(handlers, channel, input, () => {}));
      if (channel !== 'ca:list') expect(across.ok).toBe(false);
    }
  });

  it('fails every waiting and later call with a named error once the service is gone, and ignores foreign messages', async () => {
    const { client, port1 } = relayed();
    await client.ready;
    port1.postMessage({ kind: 'result', id: 999, result: { ok: true, value: 'forged' } });
    port1.postMessage('not a relay message');
    const waiting = client.call('ca:list', {});
    client.gone('its thread exited with code 1');
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('exited with code 1') } });
    expect(await client.call('ca:list', {})).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it("asks the host's lent parts back over the port, only their listed methods", async () => {
    const chosen: Array<{ title: string; suggestedName: string }> = [];
    const parts = {
      saveDialog: {
        chooseSavePath: async (request: { title: string; suggestedName: string }) => (chosen.push(request), '/home/op/cert.p12'),
        chooseFolder: async () => null,
      },
      reloadApprover: { via: 'electron-dialog', confirm: async (argv: readonly string[]) => argv[0] === 'nginx' },
    };
    expect(describeParts(parts)).toEqual({ saveDialog: {}, reloadApprover: { via: 'electron-dialog' } });
    const { client, outlets } = relayed({ parts });
    await client.ready;
    const standIns = remoteParts(describeParts(parts), outlets[0]!.ask);
    expect(await standIns.saveDialog!.chooseSavePath({ title: 'Save', suggestedName: 'cert.p12' })).toBe('/home/op/cert.p12');
    expect(chosen).toEqual([{ title: 'Save', suggestedName: 'cert.p12' }]);
    expect(standIns.reloadApprover!.via).toBe('electron-dialog');
    expect(await standIns.reloadApprover!.confirm(['nginx', '-s', 'reload'])).toBe(true);
    expect(standIns.targetApprover).toBeUndefined();
    await expect(outlets[0]!.ask('saveDialog', 'constructor', [])).rejects.toThrow('the host lends no saveDialog.constructor');
    await expect(outlets[0]!.ask('edgeOperator', 'chooseFolder', [])).rejects.toThrow('the host lends no edgeOperator.chooseFolder');
    await expect(answerAsk(parts, 'saveDialog', 'toString', [])).rejects.toThrow('lends no');
  });

  it('stops: the service closes its store, then the host hears it', async () => {
    const { t, client } = relayed();
    await client.ready;
    await client.stop();
    expect(t.service.db.open).toBe(false);
  });

  it('answers a call whose value the port cannot carry with INTERNAL, never a hang', async () => {
    const t = openTestService();
    const { port1, port2 } = new MessageChannel();
    onTestFinished(() => {
      port1.close();
      port2.close();
      t.service.close();
    });
    const logged: unknown[] = [];
    serveRelay(
      portOf(port2),
      async () => {
        const handlers = createHandlers(t.service);
        // A value structured clone refuses (a function), as a handler bug could return.
        return { handlers: { ...handlers, 'ca:list': () => [{ name: 'x', toString: () => 'x' }] as never }, stop: async () => {} };
      },
      (error) => logged.push(error),
    );
    const client = connectRelay(portOf(port1), { start: { dataDir: t.dataDir, mode: 'web', backgroundNotices: false }, onEvent: () => {} });
    await client.ready;
    const result = await client.call('ca:list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('ca:list') } });
    expect(logged).toHaveLength(1);
    // The relay still serves the next call.
    expect(await client.call('profiles:list', {})).toMatchObject({ ok: true });
  });
});
