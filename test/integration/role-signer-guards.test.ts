/**
 * An offline signer opens no network socket. Each test starts from a real data folder that knows a
 * sandbox tenant, a binding and a certificate, then marks it a signer the way a restored or edited
 * folder would be (the role row written directly: `role set` itself refuses a folder with tenants),
 * so every path has something to send, and proves nothing reached a listener: the sandbox's own
 * record of requests, and a local TCP listener that counts connections.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ManagementGateway } from '../../src/main/core/auth0/management-gateway.ts';
import { connectSsh, probeHostKey } from '../../src/main/core/delivery/ssh-connect.ts';
import { edgeHandshake, postToEdge } from '../../src/main/core/diagnostics/edge-connection.ts';
import { probeServerFlight } from '../../src/main/core/diagnostics/tls-probe.ts';
import { ACCESS_LOG_SSH } from '../../src/main/core/evidence/ssh-log-config.ts';
import type { Database } from '../../src/main/core/store/database.ts';
import { writeRole } from '../../src/main/core/workstation/role.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { SandboxHost } from '../../src/main/host/sandbox.ts';
import type { Channel, ChannelInput, Failure } from '../../src/shared/contract/index.ts';
import { bindingsRig } from '../support/bindings-rig.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

const HOST_KEY = `SHA256:${'A'.repeat(43)}`;

/** A loopback listener that only counts the connections that reach it. */
async function countingListener(): Promise<{ port: number; connections: () => number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, connections: () => connections };
}

function rows(db: Database): Record<string, number> {
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  return Object.fromEntries(
    ['tenants', 'bindings', 'outbox', 'rotation_jobs', 'delivery_targets', 'deliveries', 'settings', 'audit_log'].map((t) => [t, count(t)]),
  );
}

async function refusal<C extends Channel>(
  handlers: ReturnType<typeof createHandlers>,
  channel: C,
  input: ChannelInput<C>,
): Promise<Failure> {
  const result = await dispatch(handlers, channel, input, () => {});
  if (result.ok) throw new Error(`${channel} was not refused: ${JSON.stringify(result.value)}`);
  return result.error;
}

/** A folder with a sandbox tenant, a bound certificate and everything they need, now an offline signer. */
async function signerWithEverything() {
  const rig = await bindingsRig();
  const cert = await rig.issue('signer-client');
  await rig.t.service.bind({ cert: cert.id, tenant: rig.tenant, clientId: rig.appId });
  await rig.t.service.audit.settle();
  writeRole(rig.t.service.db, 'signer', new Date().toISOString(), 'test@host');
  return { ...rig, cert };
}

describe('an offline signer opens no socket', () => {
  it('refuses every Auth0, diagnostics, rotation and delivery channel by name, with nothing sent and nothing written', async () => {
    const rig = await signerWithEverything();
    const handlers = createHandlers(rig.t.service);
    const sent = rig.sb.records.length;
    const before = rows(rig.t.service.db);

    const calls: [Channel, unknown][] = [
      ['tenants:add', { name: 'Other', environment: 'development', domain: rig.sb.sandbox.domain, clientId: 'x', clientSecret: 'y' }],
      ['tenants:test', { tenant: rig.tenant }],
      ['auth0:plan', { tenant: rig.tenant }],
      ['auth0:apply', { tenant: rig.tenant }],
      ['auth0:clients', { tenant: rig.tenant }],
      ['diagnostics:run', { tenant: rig.tenant, clientId: rig.appId, cert: rig.cert.id }],
      ['rotation:start', { cert: rig.cert.id }],
      ['certs:deliver', { cert: rig.cert.id }],
      ['targets:add', { cert: rig.cert.id, kind: 'folder', path: join(tempDir(), 'target') }],
    ];
    for (const [channel, input] of calls) {
      const error = await refusal(handlers, channel, input as ChannelInput<typeof channel>);
      expect(error, channel).toMatchObject({ code: 'ROLE_OFFLINE', field: 'role' });
      expect(error.message, channel).toMatch(/^This data folder is an offline signer: .+ is not available/);
    }

    expect(rig.sb.records.length).toBe(sent);
    expect(rows(rig.t.service.db)).toEqual(before);
  });

  it('refuses at the socket too: the Management API gateway, ssh, TLS probes and the sandbox, with no connection made', async () => {
    const rig = await signerWithEverything();
    const listener = await countingListener();
    const sent = rig.sb.records.length;
    const before = rows(rig.t.service.db);
    const offline = { code: 'ROLE_OFFLINE', field: 'role' };

    // A caller that builds its own gateway, bypassing every use case.
    const { clientId, clientSecret } = rig.sb.sandbox.managementClient!;
    const gateway = new ManagementGateway({ name: 'direct', domain: rig.sb.sandbox.domain, clientId }, clientSecret, {
      fetch: rig.sb.fetch,
    });
    await expect(gateway.call('list clients', (client) => client.clients.get(rig.appId))).rejects.toMatchObject(offline);

    await expect(
      connectSsh({ host: '127.0.0.1', port: listener.port, user: 'edge', hostKey: HOST_KEY, clientKey: 'unused' }),
    ).rejects.toMatchObject(offline);
    await expect(probeHostKey('127.0.0.1', listener.port)).rejects.toMatchObject(offline);
    await expect(probeServerFlight({ host: '127.0.0.1', port: listener.port, serverName: 'edge.test' })).rejects.toMatchObject(offline);
    const url = new URL(`https://127.0.0.1:${listener.port}/oauth/token`);
    await expect(edgeHandshake({ url })).rejects.toMatchObject(offline);
    await expect(postToEdge({ url }, { grant_type: 'client_credentials' })).rejects.toMatchObject(offline);

    // Edge evidence over ssh: refused before a client key is made or the host is asked for its key.
    await expect(
      rig.t.service.usage.setSshSource(`ssh://edge@127.0.0.1:${listener.port}/var/log/nginx/access.log`, HOST_KEY),
    ).rejects.toMatchObject(offline);
    expect(rig.t.service.db.prepare('SELECT 1 FROM settings WHERE key = ?').get(ACCESS_LOG_SSH)).toBeUndefined();

    // The sandbox: neither the channel nor the host's own start runs it.
    const sandboxDir = tempDir('certdesk-sandbox-');
    const host = new SandboxHost(sandboxDir, { tenants: () => rig.t.service.tenants.list() });
    expect(await refusal(createHandlers(rig.t.service, { sandbox: host }), 'sandbox:start', {})).toMatchObject(offline);
    await expect(host.start()).rejects.toMatchObject(offline);
    expect(existsSync(join(sandboxDir, 'running.json'))).toBe(false);

    expect(listener.connections()).toBe(0);
    expect(rig.sb.records.length).toBe(sent);
    expect(rows(rig.t.service.db)).toEqual(before);

    // The same listener takes a connection once no signer is open: the refusal, not the listener, kept it out.
    rig.t.service.close();
    await expect(probeHostKey('127.0.0.1', listener.port)).rejects.toMatchObject({ code: 'SSH_UNREACHABLE' });
    expect(listener.connections()).toBe(1);
  });

  it("holds the whole process offline while a signer is open: another folder's request is refused at the fetch, then goes once it closes", async () => {
    const rig = await bindingsRig();
    const signer = openTestService();
    writeRole(signer.service.db, 'signer', new Date().toISOString(), 'test@host');
    const handlers = createHandlers(rig.t.service);
    const sent = rig.sb.records.length;

    const error = await refusal(handlers, 'tenants:test', { tenant: rig.tenant });
    expect(error).toMatchObject({ code: 'ROLE_OFFLINE' });
    expect(rig.sb.records.length).toBe(sent);

    signer.service.close();
    const tested = await dispatch(handlers, 'tenants:test', { tenant: rig.tenant }, () => {});
    expect(tested).toMatchObject({ ok: true, value: { ok: true } });
    expect(rig.sb.records.length).toBeGreaterThan(sent);
    expect(rig.t.service.info().role).toBe('standalone');
  });
});
