/**
 * What a reload's output may say to a caller of a channel. `nginx -t` quotes the file it choked on,
 * and with it the line it could not parse: pointed at another file, it echoes that file. Callers get
 * the run's lines when it worked, and only the first error line when it did not, with every path
 * outside the edge folders replaced; the whole output goes to the audit log, never back out. A run
 * that worked is returned as it ran: nginx quotes no file it read when it accepts the configuration.
 */
import type { EdgeReloadRun } from '../../../shared/contract/index.ts';

const ERROR_LINE = /\[(emerg|alert|crit|error)\]|\berror\b|failed|denied|not found|No such file/i;
const ABSOLUTE_PATH = /(?<![\w.~-])\/[^\s"'`;,()<>]+/g;
export const REDACTED_PATH = '<path outside the edge folder>';

function inside(path: string, folders: readonly string[]): boolean {
  return folders.some((folder) => path === folder || path.startsWith(`${folder.replace(/\/+$/, '')}/`));
}

/** Replaces every absolute path that is not in one of `folders` (the edge folder, the bundle's folder on the edge). */
export function redactPaths(text: string, folders: readonly string[]): string {
  return text.replace(ABSOLUTE_PATH, (path) => (inside(path, folders) ? path : REDACTED_PATH));
}

/** The output as a channel returns it and a publication row stores it. */
export function channelReloadOutput(run: Pick<EdgeReloadRun, 'status' | 'timedOut' | 'output'>, folders: readonly string[]): string {
  if (run.status === 0 && !run.timedOut) return run.output;
  const lines = run.output.split('\n').filter((line) => line.trim() !== '');
  const first = lines.find((line) => ERROR_LINE.test(line)) ?? lines[0] ?? '';
  return redactPaths(first, folders);
}
