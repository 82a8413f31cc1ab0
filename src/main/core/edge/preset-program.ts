/**
 * Where a reload preset's program is. A preset names a program (`nginx`, `systemctl`, `docker`);
 * looking it up on PATH at each run would let a changed PATH, or a program planted in an earlier
 * PATH folder, change what a background rotation runs. So it is looked up once, when the operator
 * chooses the preset (the publish result shows the path), stored in the approved record that the
 * MAC covers, and run from exactly there: at run time nothing is searched again.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import { CertdeskError } from '../errors.ts';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first `name` in PATH's absolute folders (a relative entry such as `.` or an empty one is skipped, as it depends on the cwd). */
export function resolvePresetProgram(name: string, preset: string, searchPath = process.env.PATH ?? ''): string {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  throw new CertdeskError(
    'RELOAD_PROGRAM_MISSING',
    `The reload preset "${preset}" runs ${name}, which is not an executable file in any absolute folder of PATH (${searchPath || 'empty'}). Nothing was run or written. Install ${name}, or choose another reload.`,
    { field: 'reload.preset' },
  );
}

/** At run time: the approved absolute path must still hold the program; another is never looked for. */
export function requirePresetProgram(program: string, name: string, preset: string): string {
  if (!isAbsolute(program) || basename(program) !== name)
    throw new CertdeskError(
      'RELOAD_NOT_APPROVED',
      `The reload preset "${preset}" was approved with ${program}, which is not an absolute path to ${name}. Nothing was run or written. Publish once with the preset to approve it again.`,
      { field: 'reload' },
    );
  if (!isExecutableFile(program))
    throw new CertdeskError(
      'RELOAD_PROGRAM_MISSING',
      `The reload preset "${preset}" was approved to run ${program}, which is no longer an executable file there; PATH is not searched for another. Nothing was run or written. Reinstall it there, or publish once with the preset to approve where ${name} is now.`,
      { field: 'reload.preset' },
    );
  return program;
}
