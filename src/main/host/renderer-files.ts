/**
 * Which file under the built renderer a request path names, for both hosts (the Electron app's
 * `app://` protocol and the web host). Anything that could leave the folder is refused outright,
 * before the file system is asked: bad percent-encoding, NUL and control characters, backslashes,
 * `..` segments (also when percent-encoded), drive letters. A path that passes is then resolved
 * through its symbolic links and must still lie inside the folder.
 */
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';

export type RendererFile = { kind: 'file'; path: string } | { kind: 'missing' } | { kind: 'refused'; reason: string };

const refused = (reason: string): RendererFile => ({ kind: 'refused', reason });

/** True when `path` is `root` itself or below it (both already absolute and normalised). */
function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * @param rootDir the renderer build folder (`out/renderer`)
 * @param encodedPath the URL's path as it arrived, still percent-encoded (`URL.pathname`)
 */
export async function resolveRendererFile(rootDir: string, encodedPath: string): Promise<RendererFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(encodedPath);
  } catch {
    return refused('the path is not valid percent-encoding');
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\u0000-\u001f\u007f]/.test(decoded)) return refused('the path holds a control character');
  if (decoded.includes('\\')) return refused('the path holds a backslash');
  const segments = decoded.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return refused('the path climbs out of the renderer folder');
  // `C:`, `file:` or an NTFS stream (`index.html:x`): nothing the build writes has a colon in its name.
  if (segments.some((segment) => segment.includes(':'))) return refused('the path names a drive or stream');

  const root = await realpath(rootDir).catch(() => null);
  if (root === null) return { kind: 'missing' };
  const candidate = join(root, ...(segments.length === 0 ? ['index.html'] : segments));
  if (!inside(root, candidate)) return refused('the path climbs out of the renderer folder');
  const real = await realpath(candidate).catch(() => null);
  if (real === null) return { kind: 'missing' };
  if (!inside(root, real)) return refused('the path leads out of the renderer folder through a link');
  const info = await stat(real).catch(() => null);
  return info?.isFile() ? { kind: 'file', path: real } : { kind: 'missing' };
}
