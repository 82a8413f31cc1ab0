import { parseAccessLogLine, type EdgeRequest } from './access-log-line.ts';
import type { LogSource } from './log-source.ts';

/** Where reading stopped: the file (inode) and the byte after the last whole line read. */
export interface LogPosition {
  /** The file's identity as its source tells it (`dev:ino` here; a fingerprint of its first bytes over ssh). */
  inode: string;
  offset: number;
}

export interface ReadOutcome {
  /** Where the next read starts; unchanged (or null) when there was no file. */
  position: LogPosition | null;
  /** Lines read and parsed. */
  lines: number;
  /** Lines that did not parse: skipped, counted. */
  skipped: number;
  /** Why reading started again at 0: another file at the path (logrotate), or the same one cut shorter (copytruncate). */
  restarted: 'new-file' | 'truncated' | null;
}

const CHUNK = 1 << 20;
/** Longer than any line nginx writes for this format: such a line is skipped rather than held. */
const MAX_LINE = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Reads the whole lines the source gained since `from` and hands each parsed request to `onRequest`.
 * A partial last line (nginx still writing it) is left for the next read. The file is held open for
 * the whole read, so a rotation during it finishes the file that was opened; the next read then
 * finds a new inode and starts that file at 0.
 */
export async function readNewLines(
  source: LogSource,
  from: LogPosition | null,
  onRequest: (request: EdgeRequest) => void,
): Promise<ReadOutcome> {
  const file = await source.open();
  if (file === null) return { position: from, lines: 0, skipped: 0, restarted: null };
  try {
    let restarted: ReadOutcome['restarted'] = null;
    let offset = 0;
    if (from !== null && !(await file.continues(from))) restarted = 'new-file';
    else if (from !== null && from.offset > file.size) restarted = 'truncated';
    else if (from !== null) offset = from.offset;
    let lines = 0;
    let skipped = 0;
    // Bytes of the line begun in an earlier chunk; `overlong` once it passed MAX_LINE (then they are dropped).
    let pending: Buffer[] = [];
    let pendingLength = 0;
    let overlong = false;
    let consumed = offset;
    const take = (text: string) => {
      if (text.trim() === '') return;
      const request = parseAccessLogLine(text);
      if (request === null) skipped++;
      else {
        lines++;
        onRequest(request);
      }
    };
    while (offset < file.size) {
      const chunk = await file.read(offset, Math.min(CHUNK, file.size - offset));
      if (chunk.length === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, start); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
        if (overlong) skipped++;
        else if (pendingLength > 0) take(Buffer.concat([...pending, chunk.subarray(start, nl)]).toString('utf8'));
        else take(chunk.toString('utf8', start, nl));
        pending = [];
        pendingLength = 0;
        overlong = false;
        start = nl + 1;
        consumed = offset + start;
      }
      if (start < chunk.length && !overlong) {
        pending.push(chunk.subarray(start));
        pendingLength += chunk.length - start;
        if (pendingLength > MAX_LINE) {
          overlong = true;
          pending = [];
        }
      }
      offset += chunk.length;
    }
    return { position: { inode: await file.identity(consumed), offset: consumed }, lines, skipped, restarted };
  } finally {
    await file.close();
  }
}
