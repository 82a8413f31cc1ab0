import { appendFileSync, renameSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAccessLogLine, type EdgeRequest } from '../../src/main/core/evidence/access-log-line.ts';
import { readNewLines, type LogPosition } from '../../src/main/core/evidence/access-log-reader.ts';
import { LocalLogSource, type LogSource } from '../../src/main/core/evidence/log-source.ts';
import { tempDir } from '../support/temp.ts';

/** A line as nginx's certdesk_mtls format writes it. */
const line = (n: number, overrides: Record<string, string> = {}) =>
  `${JSON.stringify({
    time: `2026-05-01T10:${String(n % 60).padStart(2, '0')}:00+00:00`,
    serial: `7A${n.toString(16).toUpperCase().padStart(4, '0')}`,
    issuer: 'CN=Test Issuing,O=certdesk',
    verify: 'SUCCESS',
    path: '/oauth/token',
    status: '200',
    ...overrides,
  })}\n`;

async function read(source: LogSource, from: LogPosition | null) {
  const seen: EdgeRequest[] = [];
  const outcome = await readNewLines(source, from, (r) => seen.push(r));
  return { ...outcome, seen };
}

describe('the edge access log line', () => {
  it('is parsed into serial (lower-case hex, no leading zeros), issuer, verify, path, status and time', () => {
    expect(parseAccessLogLine(line(1, { serial: '00AB01' }).trim())).toEqual({
      at: Date.parse('2026-05-01T10:01:00Z'),
      serial: 'ab01',
      issuer: 'CN=Test Issuing,O=certdesk',
      verify: 'SUCCESS',
      path: '/oauth/token',
      status: 200,
    });
  });

  it('is refused when it is not JSON, misses a field, or holds a value of the wrong shape', () => {
    const bad = [
      'not json',
      '[1,2]',
      'null',
      line(1, { serial: 'XYZ' }),
      line(1, { status: '20' }),
      line(1, { status: '700' }),
      line(1, { time: 'yesterday' }),
      JSON.stringify({ time: '2026-05-01T10:00:00Z', serial: '01', issuer: 'CN=x', verify: 'SUCCESS', status: '200' }),
      JSON.stringify({ time: '2026-05-01T10:00:00Z', serial: 1, issuer: 'CN=x', verify: 'SUCCESS', path: '/', status: '200' }),
    ];
    for (const text of bad) expect(parseAccessLogLine(text.trim()), text).toBeNull();
  });
});

describe('reading the edge access log incrementally', () => {
  it('reads from the stored offset, skips and counts a line that does not parse, and leaves a partial last line for later', async () => {
    const path = join(tempDir(), 'access.log');
    writeFileSync(path, line(1) + '{"time": broken\n' + line(2) + line(3).slice(0, 40));
    const source = new LocalLogSource(path);
    const first = await read(source, null);
    expect(first.seen.map((r) => r.serial)).toEqual(['7a0001', '7a0002']);
    expect(first).toMatchObject({ lines: 2, skipped: 1, restarted: null });
    // The partial line is not consumed: the offset stops after the last newline.
    expect(first.position!.offset).toBe(Buffer.byteLength(line(1) + '{"time": broken\n' + line(2)));

    // Nothing new: nothing read, the position stays.
    const idle = await read(source, first.position);
    expect(idle).toMatchObject({ lines: 0, skipped: 0, position: first.position });

    // nginx finishes the line and writes another.
    appendFileSync(path, line(3).slice(40) + line(4));
    const second = await read(source, first.position);
    expect(second.seen.map((r) => r.serial)).toEqual(['7a0003', '7a0004']);
    expect(second).toMatchObject({ lines: 2, skipped: 0, restarted: null });
    expect(second.position!.offset).toBe(statSync(path).size);
  });

  it('starts again at 0 when the file was truncated (copytruncate)', async () => {
    const path = join(tempDir(), 'access.log');
    writeFileSync(path, line(1) + line(2) + line(3));
    const source = new LocalLogSource(path);
    const first = await read(source, null);
    truncateSync(path, 0);
    appendFileSync(path, line(9));
    const second = await read(source, first.position);
    expect(second).toMatchObject({ lines: 1, skipped: 0, restarted: 'truncated' });
    expect(second.seen.map((r) => r.serial)).toEqual(['7a0009']);
    expect(second.position).toEqual({ inode: first.position!.inode, offset: Buffer.byteLength(line(9)) });
  });

  it('survives logrotate in the middle of a read: finishes the file it opened, then reads the new one from 0', async () => {
    const dir = tempDir();
    const path = join(dir, 'access.log');
    // More than one read's chunk (1 MiB), so the rotation lands between two reads of the same file.
    const count = 12_000;
    let body = '';
    for (let n = 0; n < count; n++) body += line(n);
    expect(body.length).toBeGreaterThan(1 << 20);
    writeFileSync(path, body);
    const local = new LocalLogSource(path);
    let rotated = false;
    // logrotate's create mode, after the reader's first chunk: rename, then a new file at the path.
    const rotating: LogSource = {
      id: path,
      async open() {
        const file = await local.open();
        if (file === null) return null;
        return {
          ...file,
          async read(offset, length) {
            const bytes = await file.read(offset, length);
            if (!rotated) {
              rotated = true;
              renameSync(path, `${path}.1`);
              writeFileSync(path, line(50_000, { serial: 'BEEF' }));
            }
            return bytes;
          },
        };
      },
    };
    const first = await read(rotating, null);
    expect(rotated).toBe(true);
    expect(first).toMatchObject({ lines: count, skipped: 0 });
    expect(first.position).toEqual({ inode: first.position!.inode, offset: Buffer.byteLength(body) });
    expect(new Set(first.seen.map((r) => r.serial)).size).toBe(count);

    const second = await read(local, first.position);
    expect(second.position!.inode).not.toBe(first.position!.inode);
    expect(second).toMatchObject({ lines: 1, skipped: 0, restarted: 'new-file' });
    expect(second.seen.map((r) => r.serial)).toEqual(['beef']);
  });

  it('waits for a log that does not exist yet, and skips a line too long to be one of nginx’s', async () => {
    const path = join(tempDir(), 'access.log');
    const source = new LocalLogSource(path);
    expect(await read(source, null)).toMatchObject({ position: null, lines: 0, skipped: 0 });
    writeFileSync(path, `${'x'.repeat(2 << 20)}\n${line(1)}`);
    const outcome = await read(source, null);
    expect(outcome).toMatchObject({ lines: 1, skipped: 1 });
    expect(outcome.seen.map((r) => r.serial)).toEqual(['7a0001']);
  });
});
