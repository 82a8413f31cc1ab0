/**
 * The reload presets run their fixed argv without a shell against real programs: `nginx -t`, then
 * `nginx -s reload`, reaching a real unprivileged nginx. nginx's signals read its compiled-in
 * prefix, so the `nginx` on PATH here is a two-line wrapper adding this test's `-p` and `-c`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { delimiter, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { republishIfChanged } from '../../src/main/core/edge/publish-edge.ts';
import type { CoreContext } from '../../src/main/core/context.ts';
import { argvSha256 } from '../../src/main/core/edge/reload-actions.ts';
import type { EdgeSettings } from '../../src/shared/contract/index.ts';
import { freePort, startNginx } from '../support/nginx.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { edgeSettings } from '../support/edge-settings.ts';

const settings = (bundleDir: string): EdgeSettings => edgeSettings({ bundleDir });

function realNginx(): string {
  const found = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('nginx is not installed');
  return found;
}

/** Puts `dir` first on PATH for this test: the runner resolves a preset's program there, as execvp does. */
function onPath(dir: string): void {
  const before = process.env.PATH;
  process.env.PATH = `${dir}${delimiter}${before ?? ''}`;
  onTestFinished(() => {
    process.env.PATH = before;
  });
}

const body = (port: number) =>
  new Promise<string>((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });

describe('edge reload presets', () => {
  it('nginx: tests the configuration, then reloads a real nginx; a broken configuration stops before the signal', async () => {
    const prefix = tempDir();
    const port = await freePort();
    const site = join(prefix, 'site.conf');
    writeFileSync(site, `server { listen 127.0.0.1:${port}; return 200 "one"; }\n`);
    const nginx = await startNginx(prefix, site, port);
    onTestFinished(() => nginx.stop());
    const bin = tempDir();
    writeFileSync(join(bin, 'nginx'), `#!/bin/sh\nexec '${realNginx()}' -p '${prefix}' -c '${nginx.conf}' "$@"\n`, { mode: 0o755 });
    onPath(bin);
    expect(await body(port)).toBe('one');

    const t = await withIssuingCa();
    const dir = join(tempDir(), 'bundle');
    writeFileSync(site, `server { listen 127.0.0.1:${port}; return 200 "two"; }\n`);
    const mark = nginx.logMark();
    const published = await t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'nginx' } });
    expect(published.reload, published.reload?.output).toMatchObject({
      argv: [
        ['nginx', '-t'],
        ['nginx', '-s', 'reload'],
      ],
      status: 0,
      timedOut: false,
    });
    expect(published.reload?.output).toContain('test is successful');
    await nginx.reloaded(mark);
    const log = () => readFileSync(join(prefix, 'logs', 'error.log'));
    expect(log().subarray(mark).toString()).toContain('SIGHUP');
    expect(await body(port)).toBe('two');

    // `nginx -t` fails: the reload signal is never sent, the edge keeps serving what it had.
    writeFileSync(site, `server { listen 127.0.0.1:${port}; nonsense; }\n`);
    const brokenMark = nginx.logMark();
    const broken = await t.service.publishEdge({ ca: 'Test Issuing', dir, settings: settings(dir), reload: { preset: 'nginx' } });
    expect(broken.reload?.status).not.toBe(0);
    expect(broken.reload?.output).toContain('unknown directive "nonsense"');
    expect(log().subarray(brokenMark).toString()).not.toContain('SIGHUP');
    expect(await body(port)).toBe('two');
    expect(t.service.edgeHistory({}).map((p) => [p.reloadStatus === 0, p.reloadArgv?.length])).toEqual([
      [false, 2],
      [true, 2],
    ]);
  });

  it('docker: the container name reaches docker as one argument; a preset row edited in SQLite is refused at replay', async () => {
    const bin = tempDir();
    const seen = join(bin, 'argv');
    // A stand-in docker that records the argv it was given, one argument per line.
    writeFileSync(join(bin, 'docker'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}'\necho reloaded\n`, { mode: 0o755 });
    onPath(bin);
    const t = await withIssuingCa();
    const ctx = (t.service as unknown as { ctx: CoreContext }).ctx;
    const dir = join(tempDir(), 'bundle');
    const published = await t.service.publishEdge({
      ca: 'Test Issuing',
      dir,
      settings: settings(dir),
      reload: { preset: 'docker', container: 'edge-nginx_1.prod' },
    });
    expect(published.reload).toMatchObject({ argv: [['docker', 'exec', 'edge-nginx_1.prod', 'nginx', '-s', 'reload']], status: 0 });
    expect(readFileSync(seen, 'utf8')).toBe('exec\nedge-nginx_1.prod\nnginx\n-s\nreload\n');

    // Even with a hash that matches the edited argv, a preset row must hold that preset's argv.
    const marker = join(tempDir(), 'pwned');
    const evil = [['touch', marker]];
    t.service.db
      .prepare("UPDATE edge_reload_actions SET argv = ?, approved_sha256 = ? WHERE preset = 'docker'")
      .run(JSON.stringify(evil), argvSha256(evil));
    await t.service.generateCrl({ ca: 'Test Issuing' });
    const rows = t.service.edgeHistory({}).length;
    await expect(republishIfChanged(ctx, t.service.crls, t.issuingId)).rejects.toMatchObject({ code: 'RELOAD_NOT_APPROVED' });
    expect(existsSync(marker)).toBe(false);
    expect(t.service.edgeHistory({})).toHaveLength(rows);
  });
});
