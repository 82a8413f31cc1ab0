/** Certificate templates in the core: saved after the store's checks, named errors per field, unique names, audited. */
import { describe, expect, it } from 'vitest';
import { createHandlers } from '../../src/main/api/index.ts';
import { dispatch } from '../../src/main/host/dispatch.ts';
import { withIssuingCa } from '../support/pki.ts';

const BASE = { name: 'Payments', profile: 'auth0-mtls-client', days: 30 } as const;

describe('certificate templates', () => {
  it('saves, lists, renames and deletes, each audited, with the CA stored by id', async () => {
    const t = await withIssuingCa();
    const saved = t.service.templates.save({
      ...BASE,
      ca: 'Test Issuing',
      keyType: 'ec-p384',
      subject: { organization: 'Acme', country: 'DE' },
      sans: [{ type: 'dns', pattern: '{cn}.clients.example.com' }],
    });
    expect(saved).toMatchObject({ name: 'Payments', ca: t.issuingId, caName: 'Test Issuing', keyType: 'ec-p384', days: 30 });
    expect(t.service.templates.list().map((x) => x.name)).toEqual(['Payments']);
    expect(t.service.templates.get('payments').name).toBe('Payments');

    expect(t.service.templates.rename({ name: 'Payments', to: 'Billing' }).name).toBe('Billing');
    expect(t.service.templates.delete('Billing').name).toBe('Billing');
    expect(t.service.templates.list()).toEqual([]);
    const actions = t.service.db.prepare("SELECT action FROM audit_log WHERE action LIKE 'template.%' ORDER BY seq").all();
    expect(actions).toEqual([{ action: 'template.save' }, { action: 'template.rename' }, { action: 'template.delete' }]);
  });

  it('refuses a taken name (any case) unless replacing, and a rename onto another template', async () => {
    const t = await withIssuingCa();
    t.service.templates.save(BASE);
    t.service.templates.save({ ...BASE, name: 'Other' });
    expect(() => t.service.templates.save({ ...BASE, name: 'PAYMENTS', days: 40 })).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_NAME_TAKEN', field: 'name' }),
    );
    expect(t.service.templates.get('Payments').days).toBe(30);
    expect(() => t.service.templates.rename({ name: 'Other', to: 'payments' })).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_NAME_TAKEN', field: 'to' }),
    );
    expect(t.service.templates.save({ ...BASE, days: 40, replace: true }).days).toBe(40);
  });

  it('names the field of each bad input through the channel, with nothing stored', async () => {
    const t = await withIssuingCa();
    const handlers = createHandlers(t.service);
    const save = (input: unknown) => dispatch(handlers, 'templates:save', input);
    const cases: Array<[unknown, string, string]> = [
      [{ ...BASE, name: '' }, 'VALIDATION', 'name'],
      [{ ...BASE, name: 'x'.repeat(65) }, 'VALIDATION', 'name'],
      [{ ...BASE, profile: 'nope' }, 'PROFILE_UNKNOWN', 'profile'],
      [{ ...BASE, days: 0 }, 'VALIDATION', 'days'],
      [{ ...BASE, days: 398 }, 'VALIDITY_OUT_OF_RANGE', 'days'],
      [{ ...BASE, ca: 'Test Root' }, 'VALIDATION', 'ca'],
      [{ ...BASE, ca: 'Missing CA' }, 'NOT_FOUND', 'ca'],
      [{ ...BASE, subject: { country: 'USA' } }, 'VALIDATION', 'subject.country'],
      [{ ...BASE, sans: [{ type: 'dns', pattern: '{host}.example.com' }] }, 'VALIDATION', 'sans.0.pattern'],
      [{ ...BASE, sans: [{ type: 'dns', pattern: '{cn} .example.com' }] }, 'VALIDATION', 'sans.0.pattern'],
    ];
    for (const [input, code, field] of cases) {
      const result = await save(input);
      expect(result, JSON.stringify(input)).toMatchObject({ ok: false, error: { code, field } });
    }
    expect(t.service.db.prepare('SELECT COUNT(*) AS n FROM cert_templates').get()).toEqual({ n: 0 });
    expect(t.service.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'template.%'").get()).toEqual({ n: 0 });
  });
});
