/**
 * Rotation's verify step for a binding that names no API: the token is requested for the tenant's
 * own default audience, read from its settings (GET /api/v2/tenants/settings). Only a tenant without
 * one needs an audience from the operator, asked once, when binding.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/main/cli/program.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { rotationStep } from '../../src/shared/contract/index.ts';
import { API, DOMAIN, hostMappedFetch, startDiagnosticsRig } from '../support/diagnostics-rig.ts';
import { openTestService } from '../support/service.ts';

async function tenantWithoutAudience() {
  const rig = await startDiagnosticsRig({ managedKey: true });
  rig.t.service.close();
  const fetchFn = hostMappedFetch({ [DOMAIN]: rig.sandbox.sandbox.url, [rig.sandbox.sandbox.domain]: rig.sandbox.sandbox.url });
  const t = openTestService({ dataDir: rig.t.dataDir, secretStore: rig.t.secretStore, fetch: fetchFn, auth0: { backoffMs: 5 } });
  const { clientId, clientSecret } = rig.sandbox.sandbox.managementClient!;
  await t.service.addTenant({
    name: 'Sandbox',
    environment: 'development',
    domain: rig.sandbox.sandbox.domain,
    customDomain: DOMAIN,
    clientId,
    clientSecret,
  });
  // How to reach the edge, and no audience: the binding below names no API either.
  t.service.tenants.setDiagnostics('Sandbox', { edgeAddress: rig.edgeAddress, edgeCaPem: rig.edgeCaPem });
  return { rig, t };
}

describe("rotation's verify step for a binding without an API", () => {
  it("requests the verification token for the tenant's default_audience, read from its settings", async () => {
    const { rig, t } = await tenantWithoutAudience();
    await rig.sandbox.management().tenants.settings.update({ default_audience: API });
    const handlers = createHandlers(t.service);
    // The bind dialog's question: the tenant has a default audience, so none is asked.
    expect(await dispatch(handlers, 'auth0:verify-audience', { tenant: 'Sandbox' }, () => {})).toEqual({
      ok: true,
      value: { defaultAudience: API, stored: null },
    });
    await t.service.bind({ cert: rig.client.id, tenant: 'Sandbox', clientId: rig.app.clientId, pop: true });
    expect((await t.service.bindings.apply({ tenant: 'Sandbox' })).outcome).toMatch(/applied|nothing-to-do/);

    const job = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 3600 });
    const verify = job.journal.find((e) => e.step === rotationStep('verify') && e.phase === 'end');
    expect(job.state, JSON.stringify(job.journal, null, 2)).toBe('waiting');
    expect(verify?.detail).toMatch(new RegExp(`^${rig.app.clientId}: token bound to x5t#S256`));
    // Nothing was stored on the way: the tenant's settings stay the source.
    expect(t.service.tenants.get('Sandbox').diagnostics?.audience).toBeUndefined();
    const report = await t.service.diagnostics.run({ tenant: 'Sandbox', clientId: rig.app.clientId, cert: job.successorId! });
    expect(report.audience).toBe(API);
    t.service.close();
  });

  it('without a default audience: asked once when binding (app or CLI), kept as the flight check audience', async () => {
    const { rig, t } = await tenantWithoutAudience();
    const handlers = createHandlers(t.service);
    expect(await dispatch(handlers, 'auth0:verify-audience', { tenant: 'Sandbox' }, () => {})).toEqual({
      ok: true,
      value: { defaultAudience: null, stored: null },
    });
    // Without any audience, the check refuses by field and names every way to give one.
    const refused = await t.service.diagnostics
      .run({ tenant: 'Sandbox', clientId: rig.app.clientId, cert: rig.client.id })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'VALIDATION', field: 'audience', message: expect.stringContaining('has no default audience') });

    // A spaced audience is refused by field, with nothing bound and nothing stored.
    const bindings = () => t.service.bindings.list('Sandbox').length;
    const spaced = await dispatch(
      handlers,
      'bindings:create',
      { cert: rig.client.id, tenant: 'Sandbox', clientId: rig.app.clientId, pop: true, verifyAudience: 'not an api' },
      () => {},
    );
    expect(spaced).toMatchObject({ ok: false, error: { field: 'verifyAudience' } });
    expect(bindings()).toBe(0);
    expect(t.service.tenants.get('Sandbox').diagnostics?.audience).toBeUndefined();

    // The CLI's bind asks the same question with --verify-audience.
    let stdout = '';
    const code = await runCli(
      [
        '--data-dir',
        rig.t.dataDir,
        '--json',
        'bind',
        rig.client.id,
        '--tenant',
        'Sandbox',
        '--client',
        rig.app.clientId,
        '--pop',
        '--verify-audience',
        API,
      ],
      { stdout: (x) => (stdout += x), stderr: () => {}, env: {}, secretStore: rig.t.secretStore },
    );
    expect(code, stdout).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ clientId: rig.app.clientId, api: null });
    expect(t.service.tenants.get('Sandbox').diagnostics).toMatchObject({ audience: API, edgeAddress: rig.edgeAddress });
    expect(await dispatch(handlers, 'auth0:verify-audience', { tenant: 'Sandbox' }, () => {})).toEqual({
      ok: true,
      value: { defaultAudience: null, stored: API },
    });
    expect((await t.service.bindings.apply({ tenant: 'Sandbox' })).outcome).toMatch(/applied|nothing-to-do/);
    const job = await t.service.rotate({ cert: rig.client.id, overlapSeconds: 3600 });
    expect(job.state, JSON.stringify(job.journal, null, 2)).toBe('waiting');
    expect(job.journal.find((e) => e.step === rotationStep('verify') && e.phase === 'end')?.detail).toContain('token bound to x5t#S256');
    t.service.close();
  });
});
