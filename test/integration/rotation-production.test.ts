/**
 * A rotation on a production tenant: the operator's typed confirmation is checked once, when the
 * job starts, and the consent it gives is what every later step (and a resume after a restart)
 * applies with. A consent covers its own tenant only.
 */
import { describe, expect, it } from 'vitest';
import { confirmProduction, ProductionConsent } from '../../src/main/core/auth0/confirm-production.ts';
import { CertdeskError } from '../../src/main/core/errors.ts';
import { ROTATION_STEP_COUNT, rotationStep } from '../../src/shared/contract/index.ts';
import { rotationRig } from '../support/rotation-rig.ts';

const HOUR = 3600_000;

async function refusal(run: () => unknown): Promise<{ code: string; message: string }> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CertdeskError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('rotation on a production tenant', () => {
  it('is refused without the typed name; with it, every step and a resume after a restart apply on the consent', async () => {
    const r = await rotationRig({ environment: 'production' });
    const { rig, t, advance } = r;
    const old = rig.client;

    expect(await refusal(() => t.service.rotate({ cert: old.id }))).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: expect.stringContaining('"Sandbox" is a production tenant'),
    });
    expect(await refusal(() => t.service.rotate({ cert: old.id, confirm: 'sandbox' }))).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: expect.stringContaining('does not match'),
    });
    expect(t.service.rotations.list()).toEqual([]);

    const waiting = await t.service.rotate({ cert: old.id, overlapSeconds: 3600, confirm: 'Sandbox' });
    expect(waiting, waiting.message ?? '').toMatchObject({ state: 'waiting', step: rotationStep('verify') });
    // The consent stays in the core: what a renderer or `--json` sees of the job has no such field.
    expect(Object.keys(waiting)).not.toContain('consents');
    const recorded = t.service.db.prepare('SELECT production_consents FROM rotation_jobs WHERE id = ?').get(waiting.id) as {
      production_consents: string;
    };
    const tenant = t.service.tenants.get('Sandbox');
    expect(JSON.parse(recorded.production_consents)).toEqual([
      { tenantId: tenant.id, tenantName: 'Sandbox', givenAt: waiting.createdAt, by: 'typed-name' },
    ]);
    expect(await r.rig.sandbox.management().clients.credentials.list(rig.app.clientId)).toHaveLength(2);

    // A restart: a new service on the same store resumes the job after the overlap, removing the
    // old credential on the production tenant without anyone typing its name again.
    t.service.close();
    const service = t.reopen();
    advance(2 * HOUR);
    const [done] = await service.resumeRotations({});
    expect(done, done?.message ?? '').toMatchObject({ state: 'done', step: ROTATION_STEP_COUNT });
    expect(done!.journal.find((e) => e.step === rotationStep('remove-old') && e.phase === 'end')?.detail).toMatch(/^Sandbox: \d+ changes?/);
    const credentials = await r.rig.sandbox.management().clients.credentials.list(rig.app.clientId);
    expect(credentials.map((c) => c.thumbprint_sha256)).toEqual([
      (await service.getCertificate({ cert: done!.successorId! })).sha256Base64url,
    ]);
  });

  it('a consent for one production tenant does not unlock another', async () => {
    const r = await rotationRig({ environment: 'production' });
    const { t } = r;
    const sandbox = t.service.tenants.get('Sandbox');
    const elsewhere = confirmProduction({ id: 'tenant_other', name: 'Other', environment: 'production' }, 'Other', 'rotate on')!;
    expect(elsewhere).toBeInstanceOf(ProductionConsent);
    expect(await refusal(() => t.service.bindings.apply({ tenant: sandbox.id }, { consent: elsewhere }))).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
      message: expect.stringContaining('given for "Other", not for the production tenant "Sandbox"'),
    });
    const [binding] = t.service.bindings.repository.forCertificate(r.rig.client.id);
    expect(await refusal(() => t.service.bindings.unbind({ binding: binding!.id }, { consent: elsewhere }))).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });
    // Its own tenant's consent unlocks it, as the typed name does.
    const own = confirmProduction(sandbox, 'Sandbox', 'apply changes to')!;
    expect((await t.service.bindings.apply({ tenant: sandbox.id }, { consent: own })).outcome).toMatch(/applied|nothing-to-do/);
    expect((await t.service.bindings.apply({ tenant: sandbox.id, confirm: 'Sandbox' })).outcome).toMatch(/applied|nothing-to-do/);
  });

  it('a consent is made only by confirmProduction: not by its constructor, nor from a look-alike object', async () => {
    const mint = Symbol('ProductionConsent');
    const Forged = ProductionConsent as unknown as new (m: symbol, r: object) => ProductionConsent;
    expect(() => new Forged(mint, { tenantId: 't', tenantName: 'T', givenAt: 'now' })).toThrow(/only by confirmProduction/);
    const lookAlike = { tenantId: 't', tenantName: 'T', givenAt: 'now', by: 'typed-name' } as unknown as ProductionConsent;
    expect(
      await refusal(() => confirmProduction({ id: 't', name: 'T', environment: 'production' }, lookAlike, 'apply changes to')),
    ).toMatchObject({
      code: 'CONFIRMATION_REQUIRED',
    });
    expect(confirmProduction({ id: 'd', name: 'Dev', environment: 'development' }, undefined, 'apply changes to')).toBeNull();
  });
});
