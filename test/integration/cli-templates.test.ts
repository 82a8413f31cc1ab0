/** `certdesk template …`, `certdesk issue --template` and `certdesk webhook …` through the real binary; openssl reads the certificate. */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CertificateDetail, TemplateView } from '../../src/shared/contract/index.ts';
import { runCertdesk } from '../support/cli.ts';
import { inProcessCliStore } from '../support/cli-store.ts';
import { startHttpListener } from '../support/http-listener.ts';
import { openssl } from '../support/openssl.ts';
import { files } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

function store() {
  const dir = tempDir();
  const env = { DBUS_SESSION_BUS_ADDRESS: `unix:path=${dir}/no-bus`, CERTDESK_PASSPHRASE: 'templates and webhook passphrase' };
  return {
    run: (...args: string[]) => runCertdesk(['--data-dir', dir, '--json', ...args], env),
    human: (...args: string[]) => runCertdesk(['--data-dir', dir, ...args], env),
  };
}

describe('certdesk template and issue --template (CLI)', () => {
  it('saves a template, refuses bad input by field, and issues from it with {cn} expanded', async () => {
    // In-process (the binary's own parsing and dispatch): a dozen child processes are too slow on a shared machine.
    const { run, human } = await inProcessCliStore('Tpl');

    const saved = await run(
      'template', 'save', 'Payments',
      '--ca', 'Tpl Issuing', '--o', 'Acme', '--c', 'DE', '--key', 'ec-p384', '--days', '30',
      '--san', 'dns:{cn}.clients.example.com', '--san', 'uri:spiffe://example.org/{cn}',
    ); // prettier-ignore
    expect(saved).toMatchObject({ code: 0, json: { name: 'Payments', caName: 'Tpl Issuing', keyType: 'ec-p384', days: 30 } });

    expect(await run('template', 'save', 'payments', '--days', '10')).toMatchObject({
      code: 1,
      json: { error: { code: 'TEMPLATE_NAME_TAKEN', field: 'name' } },
    });
    expect(await run('template', 'save', 'Bad', '--days', '10', '--san', 'dns:{host}.example.com')).toMatchObject({
      code: 1,
      json: { error: { code: 'VALIDATION', field: 'sans.0.pattern' } },
    });
    expect(await run('template', 'save', 'Bad', '--days', '10', '--ca', 'Tpl Root')).toMatchObject({
      code: 1,
      json: { error: { code: 'VALIDATION', field: 'ca' } },
    });
    const list = await run('template', 'list');
    expect((list.json as TemplateView[]).map((t) => t.name)).toEqual(['Payments']);
    expect((await human('template', 'show', 'Payments')).stdout).toContain('dns:{cn}.clients.example.com');

    const issued = await run('issue', '--template', 'Payments', '--cn', 'pay-1');
    expect(issued.code, issued.stdout).toBe(0);
    const cert = issued.json as CertificateDetail;
    expect(cert.keyType).toBe('ec-p384');
    const f = files({ 'leaf.pem': cert.pem });
    const text = openssl(['x509', '-in', f['leaf.pem']!, '-noout', '-subject', '-ext', 'subjectAltName', '-dates']);
    expect(text.status, text.output).toBe(0);
    expect(text.stdout).toMatch(/subject=.*C\s*=\s*DE.*O\s*=\s*Acme.*CN\s*=\s*pay-1/);
    expect(text.stdout).toContain('DNS:pay-1.clients.example.com');
    expect(text.stdout).toContain('URI:spiffe://example.org/pay-1');
    // notBefore is backdated a minute for clock skew: whole days are what the template set.
    expect(Math.round((Date.parse(cert.notAfter) - Date.parse(cert.notBefore)) / 86_400_000)).toBe(30);

    // Options given on the command line win over the template's.
    const override = await run('issue', '--template', 'Payments', '--cn', 'pay-2', '--days', '12', '--san', 'dns:other.example.com');
    expect(override.code, override.stdout).toBe(0);
    const second = override.json as CertificateDetail;
    expect(second.sans).toEqual([{ type: 'dns', value: 'other.example.com' }]);
    expect(Math.round((Date.parse(second.notAfter) - Date.parse(second.notBefore)) / 86_400_000)).toBe(12);

    expect(await run('issue', '--template', 'Nope', '--cn', 'x')).toMatchObject({
      code: 1,
      json: { error: { code: 'NOT_FOUND', field: 'name' } },
    });
    expect(await run('issue', '--cn', 'x')).toMatchObject({ code: 1, json: { error: { code: 'VALIDATION', field: 'ca' } } });

    expect(await run('template', 'rename', 'Payments', 'Billing')).toMatchObject({ code: 0, json: { name: 'Billing' } });
    expect(await run('template', 'delete', 'Billing')).toMatchObject({ code: 0, json: { name: 'Billing' } });
    expect(await run('template', 'list')).toMatchObject({ code: 0, json: [] });
  });

  it('sets the webhook, refuses a URL by name, and sends a test a local listener receives', async () => {
    const listener = await startHttpListener();
    onTestFinished(() => listener.close());
    const { run, human } = store();
    expect(await run('webhook', 'set', 'http://hooks.example.com/x')).toMatchObject({
      code: 1,
      json: { error: { code: 'WEBHOOK_URL_INVALID', field: 'url' } },
    });
    expect(listener.requests).toHaveLength(0);

    expect(await run('webhook', 'set', listener.url)).toMatchObject({ code: 0, json: { url: listener.url, available: true } });
    expect(await run('webhook', 'test')).toMatchObject({ code: 0, json: { ok: true, status: 204, kind: 'test' } });
    expect(listener.requests[0]?.json).toMatchObject({ type: 'certdesk.test', version: 1, items: [] });
    expect((await human('webhook')).stdout).toContain('test: answered 204');
  });
});
