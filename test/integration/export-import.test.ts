import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openssl } from '../support/openssl.ts';
import { files, withIssuingCa } from '../support/pki.ts';
import { openTestService } from '../support/service.ts';
import { tempDir } from '../support/temp.ts';

const PASS = 'correct horse battery staple';

describe('export', () => {
  it('PEM, DER and chain come back as content; PKCS#12 and the key come back protected, or go where the save dialog says', async () => {
    const t = await withIssuingCa();
    const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'export-me' }, source: { kind: 'generated' } });
    const pem = await t.service.exportCertificate({ cert: cert.id, format: 'pem' });
    expect(Buffer.from(pem.contentBase64!, 'base64').toString()).toBe(cert.pem);
    const der = await t.service.exportCertificate({ cert: cert.id, format: 'der' });
    expect(Buffer.from(der.contentBase64!, 'base64').toString('hex')).toBe(
      Buffer.from(cert.pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('hex'),
    );
    const chain = await t.service.exportCertificate({ cert: cert.id, format: 'chain' });
    expect(
      Buffer.from(chain.contentBase64!, 'base64')
        .toString()
        .match(/BEGIN CERTIFICATE/g),
    ).toHaveLength(3);

    // Web mode and the CLI: the protected key comes back as bytes, for a download or --out.
    const out = tempDir();
    const p12 = await t.service.exportCertificate({ cert: cert.id, format: 'p12', passphrase: PASS });
    expect(p12).toMatchObject({ containsKey: true, filename: 'export-me.p12' });
    expect(p12.writtenTo).toBeUndefined();
    const p12File = join(out, 'client.p12');
    writeFileSync(p12File, Buffer.from(p12.contentBase64!, 'base64'));
    const info = openssl(['pkcs12', '-info', '-noout', '-in', p12File, '-passin', `pass:${PASS}`]);
    expect(info.status, info.output).toBe(0);
    expect(info.output).toContain('MAC: sha256');
    expect(info.output).toContain('AES-256-CBC');
    expect(info.output).not.toMatch(/RC2|3DES|pbeWithSHA1/i);
    const unpacked = openssl(['pkcs12', '-in', p12File, '-passin', `pass:${PASS}`, '-nodes']);
    expect(unpacked.stdout.match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    expect(unpacked.stdout).toContain('BEGIN PRIVATE KEY');
    expect(openssl(['pkcs12', '-info', '-noout', '-in', p12File, '-passin', 'pass:wrong passphrase here']).status).not.toBe(0);

    // The desktop app: main's save dialog picks the file; main writes it 0600.
    const keyFile = join(out, 'client.key');
    const dialog = { chooseSavePath: () => Promise.resolve(keyFile) };
    const key = await t.service.exportCertificate({ cert: cert.id, format: 'key', passphrase: PASS }, dialog);
    expect(key).toMatchObject({ containsKey: true, writtenTo: keyFile });
    expect(key.contentBase64).toBeUndefined();
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(key.writtenTo!, 'utf8')).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    const decrypted = openssl(['pkey', '-in', key.writtenTo!, '-passin', `pass:${PASS}`, '-pubout']);
    const f = files({ 'c.pem': cert.pem });
    expect(decrypted.stdout).toBe(openssl(['x509', '-in', f['c.pem']!, '-noout', '-pubkey']).stdout);
    // Never where a caller says; every key export is audited.
    await expect(
      t.service.exportCertificate({ cert: cert.id, format: 'key', passphrase: PASS, path: join(out, 'other.key') }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'path' });
    expect(existsSync(join(out, 'other.key'))).toBe(false);
    expect(
      t.service
        .listAudit({})
        .items.filter((e) => e.action === 'cert.export')
        .map((e) => e.details.format),
    ).toEqual(['key', 'p12', 'chain', 'der', 'pem']);
  });
});

describe('import', () => {
  function opensslCa(keyForm: 'pkcs8' | 'pkcs1' | 'sec1' | 'encrypted') {
    const dir = tempDir();
    const key = join(dir, 'ca.key');
    const cert = join(dir, 'ca.pem');
    if (keyForm === 'sec1') openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
    else if (keyForm === 'pkcs1') openssl(['genrsa', '-traditional', '-out', key, '3072']);
    else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', key]);
    const req = openssl([
      'req',
      '-x509',
      '-new',
      '-key',
      key,
      '-subj',
      `/O=Elsewhere/CN=Imported ${keyForm} Root`,
      '-days',
      '3650',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      cert,
    ]);
    if (req.status !== 0) throw new Error(req.output);
    let keyPem = readFileSync(key, 'utf8');
    if (keyForm === 'encrypted') keyPem = openssl(['pkcs8', '-topk8', '-in', key, '-v2', 'aes-256-cbc', '-passout', `pass:${PASS}`]).stdout;
    return { certPem: readFileSync(cert, 'utf8'), keyPem };
  }

  it.each(['pkcs8', 'pkcs1', 'sec1', 'encrypted'] as const)(
    'imports an openssl-made CA with a %s key and issues below it',
    async (form) => {
      const t = openTestService();
      const ca = opensslCa(form);
      const root = await t.service.importAuthority({ ...ca, ...(form === 'encrypted' ? { keyPassphrase: PASS } : {}) });
      expect(root.kind).toBe('root');
      expect(root.name).toBe(`Imported ${form} Root`);
      await t.service.createAuthority({ name: 'Below Import', parent: root.id });
      const leaf = await t.service.issue({ ca: 'Below Import', subject: { commonName: 'leaf' }, source: { kind: 'generated' } });
      const [, issuing] = leaf.chainPem.split(/(?=-----BEGIN)/);
      const f = files({ 'root.pem': ca.certPem, 'issuing.pem': issuing!, 'leaf.pem': leaf.pem });
      expect(
        openssl(['verify', '-purpose', 'sslclient', '-CAfile', f['root.pem']!, '-untrusted', f['issuing.pem']!, f['leaf.pem']!]).output,
      ).toContain('leaf.pem: OK');
    },
  );

  it('refuses a wrong passphrase, a missing one, a key that does not match, and a leaf as CA', async () => {
    const t = openTestService();
    const ca = opensslCa('encrypted');
    await expect(t.service.importAuthority({ ...ca, keyPassphrase: 'not the passphrase' })).rejects.toMatchObject({
      code: 'PASSPHRASE_WRONG',
      field: 'keyPassphrase',
    });
    await expect(t.service.importAuthority(ca)).rejects.toMatchObject({ field: 'keyPassphrase' });
    const other = opensslCa('pkcs8');
    await expect(t.service.importAuthority({ certPem: ca.certPem, keyPem: other.keyPem })).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'keyPem',
    });
    // Each message names the field as the import form labels it ("CA certificate", "Private key"), and the call's name for it.
    await expect(t.service.importAuthority({ certPem: ca.certPem, keyPem: other.keyPem })).rejects.toThrow(/^Private key \(keyPem\): /);
    await expect(t.service.importAuthority({ certPem: ca.certPem, keyPem: 'not a key' })).rejects.toMatchObject({
      field: 'keyPem',
      message: expect.stringMatching(/^Private key \(keyPem\): /),
    });
    await expect(t.service.importAuthority({ certPem: other.keyPem, keyPem: other.keyPem })).rejects.toMatchObject({
      field: 'certPem',
      message: expect.stringContaining('CA certificate (certPem)'),
    });
    const leaf = await withIssuingCa();
    const issued = await leaf.service.issue({ ca: leaf.issuingId, subject: { commonName: 'not-a-ca' }, source: { kind: 'generated' } });
    await expect(t.service.importAuthority({ certPem: issued.pem, keyPem: other.keyPem })).rejects.toMatchObject({
      field: 'certPem',
      message: expect.stringMatching(/^CA certificate \(certPem\): this is not a CA certificate/),
    });
    expect(t.service.listAuthorities()).toEqual([]);
  });

  it('imports a leaf issued elsewhere for tracking only, and lints it', async () => {
    const t = await withIssuingCa();
    const dir = tempDir();
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      join(dir, 'k'),
      '-subj',
      '/CN=self-signed-client',
      '-days',
      '30',
      '-addext',
      'basicConstraints=critical,CA:FALSE',
      '-out',
      join(dir, 'c.pem'),
    ]);
    const pem = readFileSync(join(dir, 'c.pem'), 'utf8');
    const lint = await t.service.lint({ pem });
    expect(lint.ok).toBe(false);
    expect(lint.checks.find((c) => c.id === 'eku')).toMatchObject({ ok: false, fix: expect.stringContaining('clientAuth') });
    expect(lint.checks.find((c) => c.id === 'chain')?.ok).toBe(false);
    const imported = await t.service.importCertificate({ pem });
    expect(imported).toMatchObject({ keyStorage: 'imported', authorityId: null, commonName: 'self-signed-client' });
    await expect(t.service.importCertificate({ pem })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(t.service.exportCertificate({ cert: imported.id, format: 'key', passphrase: PASS })).rejects.toMatchObject({
      code: 'NO_PRIVATE_KEY',
    });
  });
});
