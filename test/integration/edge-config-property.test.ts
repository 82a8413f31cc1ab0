import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endpoints } from '../../src/main/api/index.ts';
import { buildEdgeBundle, writeEdgeBundle } from '../../src/main/core/edge/edge-bundle.ts';
import { nginxServerBlock } from '../../src/main/core/edge/nginx-config.ts';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { hostileSetting, type EdgeField } from '../support/edge-hostile.ts';
import { expectedConfig, expectedEdge, segments } from '../support/edge-tree.ts';
import { freePort, nginxDump } from '../support/nginx.ts';
import { parseConfig, readBack, type Directive } from '../support/nginx-conf.ts';
import { openssl } from '../support/openssl.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

const withValue = (base: EdgeSettings, field: EdgeField, value: string) => ({ ...base, [field]: value }) as EdgeSettings;

/** What the API boundary makes of the settings: the field it refuses, or the settings it hands on. */
function boundary(settings: EdgeSettings): { ok: true; settings: EdgeSettings } | { ok: false; field: string | undefined } {
  const parsed = endpoints['edge:preview'].input.safeParse({ ca: 'Test Issuing', settings });
  return parsed.success ? { ok: true, settings: parsed.data.settings } : { ok: false, field: parsed.error.issues[0]?.path.join('.') };
}

function writer(settings: EdgeSettings): { ok: true; text: string } | { ok: false; error: unknown } {
  try {
    return { ok: true, text: nginxServerBlock(settings, 2) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * A value the writer refuses is refused with a VALIDATION error naming its field, and the boundary
 * refuses it too, naming that field (or only trimmed white space off it, leaving a value the
 * writer takes). A value the writer takes, the boundary takes.
 */
function expectSameVerdict(settings: EdgeSettings, field: EdgeField): boolean {
  const written = writer(settings);
  const api = boundary(settings);
  if (written.ok) {
    expect(api.ok).toBe(true);
    return true;
  }
  expect(written.error).toMatchObject({ code: 'VALIDATION', field });
  if (api.ok) expect(writer(api.settings).ok).toBe(true);
  // Shape errors (control characters, length) name the input path; the nginx rules name the setting.
  else expect([field, `settings.${field}`]).toContain(api.field);
  return false;
}

describe('nginx edge settings under hostile input', () => {
  it('refuses every hostile value by name, or writes exactly the directive tree of its parsed value', () => {
    const base: EdgeSettings = {
      serverName: 'auth.example.test',
      listen: '443',
      serverCertificatePath: '/srv/tls/server.pem',
      serverKeyPath: '/srv/tls/server.key',
      upstream: 'https://tenant.example',
      cnameApiKeyInclude: '/srv/secret/cname.conf',
      bundleDir: '/srv/edge/bundle',
    };
    fc.assert(
      fc.property(hostileSetting('/srv/edge', 8443, false), ([field, value]) => {
        const settings = withValue(base, field, value);
        if (!expectSameVerdict(settings, field)) return;
        const include: Directive[] = [{ name: 'include', args: [segments(settings.cnameApiKeyInclude)] }];
        const text = (writer(settings) as { text: string }).text;
        expect(parseConfig(text)).toEqual(expectedConfig(expectedEdge(settings, include), 2));
      }),
      { numRuns: 3000 },
    );
  });

  it('what is accepted, real nginx -T reads back as exactly the expected tree', async () => {
    const t = await withIssuingCa();
    const root = tempDir('certdesk-edgeprop-');
    const port = await freePort();
    const fixed = join(root, 'fixed');
    mkdirSync(fixed);
    const key = join(fixed, 'server.key');
    const cert = join(fixed, 'server.pem');
    const made = openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key].concat([
        '-subj',
        '/CN=auth.example.test',
        '-days',
        '2',
        '-out',
        cert,
      ]),
    );
    expect(made.status, made.output).toBe(0);
    const cnameText = 'proxy_set_header cname-api-key "property-key";\n';
    writeFileSync(join(fixed, 'cname.conf'), cnameText);
    const base: EdgeSettings = {
      serverName: 'auth.example.test',
      listen: `127.0.0.1:${port}`,
      serverCertificatePath: cert,
      serverKeyPath: key,
      upstream: 'http://127.0.0.1:9',
      cnameApiKeyInclude: join(fixed, 'cname.conf'),
      bundleDir: join(fixed, 'bundle'),
    };
    // Only the field under test points here; emptied before each run.
    const mutable = join(root, 'm');
    const accepted = (field: EdgeField, value: string): [[EdgeField, string]] => [[field, value]];
    await fc.assert(
      fc.asyncProperty(hostileSetting(mutable, port, true), async ([field, value]) => {
        const settings = withValue(base, field, value);
        if (!expectSameVerdict(settings, field)) {
          await expect(buildEdgeBundle(t.service.edgeContext(), t.service.crls, 'Test Issuing', settings)).rejects.toMatchObject({
            code: 'VALIDATION',
            field,
          });
          return;
        }
        const e = expectedEdge(settings, parseConfig(cnameText));
        const upstream = new URL(e.upstream);
        // nginx resolves a proxy_pass host while it tests the configuration, and there is no DNS here:
        // a name is served by an `upstream` block of that name, which nginx allows only without a port.
        const named = !/^[\d.]+$/.test(upstream.hostname) && !upstream.hostname.startsWith('[') && upstream.hostname !== 'localhost';
        fc.pre(!(named && upstream.port !== ''));
        rmSync(mutable, { recursive: true, force: true });
        // Files are only ever created inside this test's folders.
        for (const path of [e.serverCertificatePath, e.serverKeyPath, e.bundleDir, segments(settings.cnameApiKeyInclude)].concat(
          e.accessLog === null ? [] : [e.accessLog],
        ))
          expect(path.startsWith(`${fixed}/`) || `${path}/`.startsWith(`${mutable}/`), path).toBe(true);
        const place = (path: string, write: (path: string) => void) => {
          mkdirSync(dirname(path), { recursive: true });
          write(path);
        };
        if (field === 'serverCertificatePath') place(e.serverCertificatePath, (p) => copyFileSync(cert, p));
        if (field === 'serverKeyPath') place(e.serverKeyPath, (p) => copyFileSync(key, p));
        if (field === 'cnameApiKeyInclude') place(segments(settings.cnameApiKeyInclude), (p) => writeFileSync(p, cnameText));
        // nginx -t opens the access log, so its folder must exist (nginx makes the file).
        if (e.accessLog !== null) mkdirSync(dirname(e.accessLog), { recursive: true });
        const bundle = await buildEdgeBundle(t.service.edgeContext(), t.service.crls, 'Test Issuing', settings);
        // certdesk creates the bundle folder but never its parents: the operator makes those.
        mkdirSync(dirname(e.bundleDir), { recursive: true });
        writeEdgeBundle(bundle, e.bundleDir);

        const dump = nginxDump(
          join(root, 'nginx'),
          join(e.bundleDir, 'certdesk-edge.conf'),
          named ? `upstream ${upstream.hostname} { server 127.0.0.1:9 down; }` : '',
        );
        expect(dump.status, dump.stderr).toBe(0);
        const wrapper = parseConfig(readFileSync(dump.conf, 'utf8')).map((d) =>
          d.name === 'http' ? { ...d, block: d.block!.flatMap((inner) => (inner.name === 'include' ? expectedConfig(e, 2) : [inner])) } : d,
        );
        expect(readBack(dump.stdout, dump.conf)).toEqual(wrapper);
      }),
      {
        numRuns: 80,
        examples: [
          accepted('serverName', 'Bücher.Example'),
          accepted('upstreamHost', '192.0.2.7'),
          accepted('listen', `[0:0::1]:${port}`),
          accepted('listen', `${port}`),
          accepted('serverCertificatePath', `${mutable}//tls/server.pem/`),
          accepted('serverKeyPath', `${mutable}/k+e@y=1,2~.key`),
          accepted('cnameApiKeyInclude', `${mutable}/secret//cname.conf`),
          accepted('bundleDir', `${mutable}/nginx//certdesk/`),
          accepted('upstream', 'HTTPS://Bücher.example:443/'),
          accepted('upstream', 'http://[0:0::1]:9'),
          accepted('clientIpHeader', 'True-Client-IP'),
          accepted('verifyClient', 'optional'),
          accepted('accessLog', `${mutable}/logs//certdesk-mtls.log`),
        ],
      },
    );
  });
});
