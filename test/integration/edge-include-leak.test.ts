/**
 * Issue 10 leftovers, L2: the cname-api-key include took any absolute path (and nginx's `include`
 * expands globs), and the raw `nginx -t` output went back to web callers, quoting what it read. The
 * include is now one named `.conf` file, and a channel gets only the first error line with paths
 * outside the edge folders redacted; the whole output is in the audit log only.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EdgePublication, EdgePublishResult } from '../../src/shared/contract/index.ts';
import { createHandlers } from '../../src/main/host/dispatch.ts';
import { edgeSettings } from '../support/edge-settings.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';
import { edgeCounts, webRpc } from '../support/web-rpc.ts';

/** A stand-in `nginx` first on PATH whose `-t` fails as nginx does when an include points at a file that is not a config. */
function leakyNginx(secretLine: string, folder: string): void {
  const bin = tempDir();
  writeFileSync(
    join(bin, 'nginx'),
    `#!/bin/sh\necho "nginx: [emerg] unknown directive \\"${secretLine}\\" in /home/op/.secrets/token.txt:1" >&2\necho "nginx: configuration file /etc/nginx/nginx.conf test failed (see ${folder}/certdesk-edge.conf)" >&2\nexit 1\n`,
    { mode: 0o755 },
  );
  const before = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${before ?? ''}`;
  onTestFinished(() => {
    process.env.PATH = before;
  });
}

describe('the cname-api-key include and nginx -t output', () => {
  it('refuses an include with a glob, "..", or a name not ending in .conf over the web host, with nothing written or stored', async () => {
    const t = await withIssuingCa();
    const rpc = await webRpc(createHandlers(t.service));
    const folder = join(tempDir(), 'edge');
    const settings = edgeSettings();
    await t.service.setEdgeFolder(folder, 'cli');
    await t.service.approveEdgeSettings(settings, 'cli');
    const before = edgeCounts(t.service.db);
    for (const include of [
      '/etc/edge/secret/*.conf',
      '/etc/edge/secret/cname.con[f]',
      '/etc/edge/secret/../../passwd.conf',
      '/etc/passwd',
      '/etc/edge/secret/.conf',
    ]) {
      for (const channel of ['edge:preview', 'edge:publish']) {
        const answer = await rpc(channel, { ca: 'Test Issuing', settings: { ...settings, cnameApiKeyInclude: include } });
        expect(answer, `${channel} ${include}`).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'cnameApiKeyInclude' } });
      }
    }
    // Not even the operator may approve one.
    await expect(
      t.service.approveEdgeSettings({ ...settings, cnameApiKeyInclude: '/etc/edge/secret/*.conf' }, 'cli'),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'cnameApiKeyInclude',
    });
    expect(existsSync(folder)).toBe(false);
    expect(edgeCounts(t.service.db)).toEqual(before);
  });

  it('returns only the first error line of nginx -t, with paths outside the edge folders redacted; the audit log keeps it whole', async () => {
    const t = await withIssuingCa();
    const rpc = await webRpc(createHandlers(t.service));
    const folder = join(tempDir(), 'edge');
    const settings = edgeSettings();
    await t.service.setEdgeFolder(folder, 'cli');
    await t.service.approveEdgeSettings(settings, 'cli', 'Test Issuing');
    leakyNginx('s3cr3t-token-line', folder);

    const answer = await rpc('edge:publish', { ca: 'Test Issuing', settings, reload: { preset: 'nginx' } });
    expect(answer.ok).toBe(true);
    const result = answer.value as EdgePublishResult;
    expect(result.reload).toMatchObject({ status: 1 });
    expect(result.reload!.output).toBe('nginx: [emerg] unknown directive "s3cr3t-token-line" in <path outside the edge folder>');
    expect(result.reload!.output).not.toContain('/home/op');
    expect(result.reload!.output).not.toContain('/etc/nginx/nginx.conf');

    const history = await rpc('edge:history', {});
    expect((history.value as EdgePublication[])[0]!.reloadOutput).toBe(result.reload!.output);
    const audited = t.service.audit.list(0, 100).items.find((entry) => entry.action === 'edge.publish');
    expect(JSON.stringify(audited)).toContain('/home/op/.secrets/token.txt:1');
    expect(JSON.stringify(audited)).toContain(`see ${folder}/certdesk-edge.conf`);
    expect(readdirSync(folder).sort()).toEqual(['README.md', 'ca-bundle.pem', 'certdesk-edge.conf', 'crl.pem']);
  });
});
