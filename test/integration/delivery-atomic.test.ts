/**
 * Issue 11: the switch to a new release is atomic and a failed write leaves the previous release
 * current. A real reader process reads the folder while 50 renewals are delivered; the failures
 * are real ones, made in a child process: a file-size limit (EFBIG, the stand-in for a full disk)
 * and another user (permission denied).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLI_TARGET_APPROVER } from '../../src/main/core/delivery/target-approver.ts';
import { createHandlers, dispatch } from '../../src/main/host/dispatch.ts';
import { withIssuingCa } from '../support/pki.ts';
import { tempDir } from '../support/temp.ts';

const reader = fileURLToPath(new URL('../support/release-reader.mjs', import.meta.url));
const writerChild = fileURLToPath(new URL('../support/folder-writer-child.ts', import.meta.url));

async function folderTarget() {
  const t = await withIssuingCa();
  const cert = await t.service.issue({ ca: 'Test Issuing', subject: { commonName: 'workload' }, source: { kind: 'generated' } });
  const dir = join(tempDir(), 'tls');
  const added = await dispatch(createHandlers(t.service, { targetApprover: CLI_TARGET_APPROVER }), 'targets:add', {
    cert: cert.id,
    kind: 'folder',
    path: dir,
  });
  expect(added.ok).toBe(true);
  return { t, cert, dir };
}

/** The whole visible state of a target folder: where the links point and every file's bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = { current: readlinkSync(join(dir, 'current')) };
  for (const release of readdirSync(join(dir, 'releases')))
    for (const file of readdirSync(join(dir, 'releases', release)))
      out[`${release}/${file}`] = readFileSync(join(dir, 'releases', release, file), 'utf8');
  return out;
}

function runWriterChild(args: { dir: string; serialHex: string; bytes: number; asUser?: number }, prefix: string[] = []) {
  const r = spawnSync(
    prefix[0] ?? process.execPath,
    [...prefix.slice(1), ...(prefix.length ? [process.execPath] : []), writerChild, JSON.stringify(args)],
    { encoding: 'utf8' },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return { ...(JSON.parse(line || '{}') as { ok?: boolean; code?: string; message?: string }), stderr: r.stderr };
}

/**
 * A writer that may not write: as root (who ignores modes) the child drops to nobody; as anyone else
 * the folder is made read-only for its owner. Either way the kernel says EACCES.
 */
const isRoot = process.getuid?.() === 0;
function withoutPermission(dir: string, lock: () => void): { asUser?: number } {
  if (isRoot) return { asUser: 65534 };
  lock();
  onTestFinished(() => {
    chmodSync(dirname(dir), 0o755);
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'releases'), 0o755);
  });
  return {};
}

describe('atomic release switch', () => {
  it('a reader never sees a certificate with another release key during 50 deliveries', async () => {
    const { t, cert, dir } = await folderTarget();
    await t.service.delivery.deliverAll(cert.id);
    const child = spawn(process.execPath, [reader, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    expect((await lines.next()).value).toBe('ready');

    let latest = cert.id;
    for (let i = 0; i < 50; i++) {
      latest = (await t.service.renew({ cert: latest })).id;
      const result = await t.service.delivery.deliverAll(latest);
      expect(result.outcome).toBe('done');
    }
    child.stdin.write('stop\n');
    const tally = JSON.parse((await lines.next()).value as string) as {
      reads: number;
      mismatches: number;
      retries: number;
      serials: string[];
    };
    expect(tally.mismatches).toBe(0);
    expect(tally.reads).toBeGreaterThan(0);
    // Only current and previous are kept.
    expect(readdirSync(join(dir, 'releases'))).toHaveLength(2);
    expect(readlinkSync(join(dir, 'current'))).toContain(t.service.inventory.resolve(latest).serialHex.slice(0, 16));
  });

  it('a write stopped by a file-size limit (EFBIG) leaves the previous release current and intact, nothing staged', async () => {
    const { t, cert, dir } = await folderTarget();
    await t.service.delivery.deliverAll(cert.id);
    const before = snapshot(dir);
    const result = runWriterChild({ dir, serialHex: 'abcdef0123456789', bytes: 64 * 1024 }, ['prlimit', '--fsize=4096', '--']);
    expect(result, result.stderr).toMatchObject({ ok: false, code: 'DELIVERY_FAILED' });
    expect(result.message).toContain('file size limit');
    expect(snapshot(dir)).toEqual(before);
    expect(readdirSync(join(dir, 'releases'))).toEqual([before.current!.slice('releases/'.length)]);
    // The same write without the limit succeeds: the failure was the limit, not the writer.
    expect(runWriterChild({ dir, serialHex: 'abcdef0123456789', bytes: 64 * 1024 })).toMatchObject({ ok: true });
    expect(readlinkSync(join(dir, 'previous'))).toBe(before.current);
  });

  it('a writer without permission gets a named error and changes nothing', async () => {
    const { t, cert, dir } = await folderTarget();
    await t.service.delivery.deliverAll(cert.id);
    const before = snapshot(dir);
    // The folder (root's, 0755, in a temp folder opened to others) is readable to the writer but not writable.
    chmodSync(dirname(dir), 0o755);
    const denied = withoutPermission(dir, () => {
      chmodSync(dir, 0o555);
      chmodSync(join(dir, 'releases'), 0o555);
    });
    const result = runWriterChild({ dir, serialHex: 'fedcba9876543210', bytes: 100, ...denied });
    expect(result, result.stderr).toMatchObject({ ok: false, code: 'DELIVERY_FAILED' });
    expect(result.message).toContain('permission denied');
    expect(snapshot(dir)).toEqual(before);
    // A folder it cannot even enter: refused by the path check, before anything is tried.
    chmodSync(dirname(dir), isRoot ? 0o700 : 0o000);
    const closed = runWriterChild({ dir, serialHex: 'fedcba9876543210', bytes: 100, ...denied });
    chmodSync(dirname(dir), 0o755);
    expect(closed, closed.stderr).toMatchObject({ ok: false, code: 'TARGET_PATH_UNSAFE' });
    expect(closed.message).toContain('cannot be examined (EACCES)');
    expect(snapshot(dir)).toEqual(before);
  });
});
