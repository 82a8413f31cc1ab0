/**
 * Runs one FolderWriter.write in a process of its own, so a test can give it what a test process
 * cannot have: a file-size limit (prlimit --fsize, with SIGXFSZ ignored so the write fails with
 * EFBIG instead of killing the process) or another user (permission denied even for root's files).
 * argv[2]: JSON { dir, serialHex, bytes, asUser? }. Prints one JSON line: { ok, releaseId } or { ok: false, code, message }.
 * `asUser` (root only): the child drops to that uid and gid after its modules are loaded, so neither
 * the Node binary nor the sources need to be readable by that user (a toolchain folder can be 0700).
 */
import { createHash } from 'node:crypto';
import { FolderWriter } from '../../src/main/core/delivery/folder-writer.ts';
import { releaseId } from '../../src/main/core/delivery/release.ts';

process.on('SIGXFSZ', () => undefined);
const { dir, serialHex, bytes, asUser } = JSON.parse(process.argv[2] ?? '{}') as {
  dir: string;
  serialHex: string;
  bytes: number;
  asUser?: number;
};
if (asUser !== undefined && process.setgid && process.setuid) {
  process.setgid(asUser);
  process.setuid(asUser);
}
const body = Buffer.alloc(bytes, 0x41);
const files = [
  { role: 'cert' as const, name: 'cert.pem', bytes: body, mode: 0o644 },
  { role: 'key' as const, name: 'key.pem', bytes: body, mode: 0o600 },
];
const id = releaseId(serialHex, new Date());
try {
  const result = await new FolderWriter(dir).write({
    manifest: {
      format: 'certdesk-release/1',
      releaseId: id,
      certificateId: 'cert_child',
      serialHex,
      sha256: createHash('sha256').update(serialHex).digest('hex'),
      notAfter: new Date().toISOString(),
      writtenAt: new Date().toISOString(),
      files: Object.fromEntries(files.map((f) => [f.name, createHash('sha256').update(f.bytes).digest('hex')])),
    },
    files,
  });
  process.stdout.write(`${JSON.stringify({ ok: true, releaseId: result.releaseId })}\n`);
} catch (error) {
  const e = error as { code?: string; message: string };
  process.stdout.write(`${JSON.stringify({ ok: false, code: e.code, message: e.message })}\n`);
}
