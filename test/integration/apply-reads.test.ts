/**
 * What one apply reads (issue 14 §4): the application is read once per apply, and a re-bind (a PATCH
 * of its methods) does not send the next step back for a new list of its credentials. A credential
 * someone else deleted after that read is what the delete step wanted: Auth0 answers its delete 204.
 */
import { describe, expect, it } from 'vitest';
import { bindingsRig } from '../support/bindings-rig.ts';

/** A binding applied, its successor bound and the old binding marked for removal: the rotation's last apply. */
async function removalPending(rig: Awaited<ReturnType<typeof bindingsRig>>) {
  const oldCert = await rig.issue('rotating-client');
  const old = await rig.t.service.bind({ cert: oldCert.id, tenant: rig.tenant, clientId: rig.appId });
  expect((await rig.t.service.bindings.apply({ tenant: rig.tenant })).outcome).toBe('applied');
  const newCert = await rig.t.service.renew({ cert: oldCert.id });
  await rig.t.service.bind({ cert: newCert.id, tenant: rig.tenant, clientId: rig.appId });
  expect((await rig.t.service.bindings.apply({ tenant: rig.tenant })).outcome).toBe('applied');
  rig.t.service.bindings.unbind({ binding: old.id });
  return { oldCert, newCert };
}

/** Applies the removal: the re-bind and the delete both run. Returns the application's API path. */
async function applyRemoval(rig: Awaited<ReturnType<typeof bindingsRig>>): Promise<string> {
  rig.mark();
  const applied = await rig.t.service.bindings.apply({ tenant: rig.tenant });
  expect(applied.outcome).toBe('applied');
  expect(applied.steps.map((s) => [s.kind, s.status])).toEqual([
    ['set-auth-methods', 'done'],
    ['delete-credential', 'done'],
  ]);
  return `/api/v2/clients/${rig.appId}`;
}

const shape = (c: { method: string; path: string }) =>
  `${c.method} ${c.path.replace(`/credentials/${c.path.split('/credentials/')[1] ?? ''}`, '/credentials/ID')}`;

describe('apply: reads per apply', () => {
  it('re-binds and deletes with one read of the application and its credentials', async () => {
    const rig = await bindingsRig();
    const { newCert } = await removalPending(rig);
    const app = await applyRemoval(rig);
    expect(rig.managementCalls().map(shape)).toEqual([
      `GET ${app}`,
      `GET ${app}/credentials`,
      `PATCH ${app}`,
      `DELETE ${app}/credentials/ID`,
    ]);
    const credentials = await rig.sb.management().clients.credentials.list(rig.appId);
    expect(credentials.map((c) => c.thumbprint_sha256)).toEqual([newCert.sha256Base64url]);
  });

  it('ends in the wanted state when someone else deleted the credential after the read', async () => {
    let deleteFirst: ((url: string) => Promise<void>) | undefined;
    const rig = await bindingsRig({
      fetch: (sandboxFetch) => async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        // Just before certdesk's DELETE leaves, another admin removes the same credential.
        const method = input instanceof Request ? input.method : init?.method;
        if (method === 'DELETE' && deleteFirst) await deleteFirst(url);
        return sandboxFetch(input, init);
      },
    });
    const { newCert } = await removalPending(rig);
    const other = rig.sb.management();
    deleteFirst = async (url) => {
      deleteFirst = undefined;
      const [, clientId, credentialId] = /\/clients\/([^/]+)\/credentials\/([^/?]+)/.exec(url)!;
      await other.clients.credentials.delete(clientId!, credentialId!);
    };
    const app = await applyRemoval(rig);
    // The other admin's DELETE, then certdesk's: Auth0 answers 204 to a credential already gone.
    expect(rig.managementCalls().map((c) => `${shape(c)} ${c.status}`)).toEqual([
      `GET ${app} 200`,
      `GET ${app}/credentials 200`,
      `PATCH ${app} 200`,
      `DELETE ${app}/credentials/ID 204`,
      `DELETE ${app}/credentials/ID 204`,
    ]);
    const credentials = await other.clients.credentials.list(rig.appId);
    expect(credentials.map((c) => c.thumbprint_sha256)).toEqual([newCert.sha256Base64url]);
    expect(rig.t.service.bindings.repository.forCertificate(newCert.id).map((b) => b.state)).toEqual(['active']);
  });
});
