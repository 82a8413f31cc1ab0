import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/core/paths.ts';
import { bindingsRig } from '../support/bindings-rig.ts';
import { tempDir } from '../support/temp.ts';

describe('custom domain and the edge key', () => {
  it('creates and verifies the custom domain, writes the cname-api-key only into a 0600 include, and explains a lost key', async () => {
    const rig = await bindingsRig();
    const keyFile = join(tempDir(), 'cname-api-key.conf');
    const setup = await rig.t.service.bindings.customDomain({ tenant: rig.tenant, domain: 'Login.Example.com', keyFile });
    expect(setup).toMatchObject({
      domain: 'login.example.com',
      status: 'ready',
      keyWritten: true,
      keyFile,
      originDomainName: expect.stringMatching(/\.edge\./),
    });
    expect(setup.steps).toEqual([
      'created login.example.com (self-managed certificates)',
      'verified login.example.com',
      `wrote the cname-api-key include to ${keyFile} (mode 0600)`,
    ]);

    const key = rig.sb.sandbox.state().custom_domains[0]!.cname_api_key!;
    expect(readFileSync(keyFile, 'utf8')).toBe(`proxy_set_header cname-api-key "${key}";\n`);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const base = join(rig.t.dataDir, DATABASE_FILE);
    const db = Buffer.concat([base, `${base}-wal`].filter(existsSync).map((f) => readFileSync(f)));
    expect(db.includes(Buffer.from(key)), 'the key is not in SQLite').toBe(false);
    expect(JSON.stringify(rig.t.service.audit.list(0, 100))).not.toContain(key);
    expect(JSON.stringify(setup)).not.toContain(key);

    const again = await rig.t.service.bindings.customDomain({ tenant: rig.tenant, domain: 'login.example.com', keyFile });
    expect(again).toMatchObject({ status: 'ready', keyWritten: false });
    const lost = await rig.t.service.bindings
      .customDomain({ tenant: rig.tenant, domain: 'login.example.com', keyFile: join(tempDir(), 'missing.conf') })
      .catch((e: unknown) => e);
    expect(lost).toMatchObject({
      code: 'CONFLICT',
      field: 'keyFile',
      message: expect.stringContaining('returns its cname-api-key only once'),
    });
    const noDomain = await rig.t.service.bindings.customDomain({ tenant: rig.tenant, keyFile }).catch((e: unknown) => e);
    expect(noDomain).toMatchObject({ code: 'VALIDATION', field: 'domain' });
  });
});
