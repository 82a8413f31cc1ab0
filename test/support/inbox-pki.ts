/**
 * An openssl-made CA (root and issuing) and a CSR-mode predecessor certificate, for the CSR inbox
 * tests: certdesk's inbox is judged against PKI it did not make.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, readdirSync, readFileSync, lstatSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from './openssl.ts';
import { tempDir } from './temp.ts';

export const SUBJECT = '/C=US/O=Acme/CN=payments-worker';
export const SAN = 'payments.example.com';

function run(args: string[]): string {
  const r = openssl(args);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.output}`);
  return r.stdout;
}

export function newKey(path: string): string {
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', path]);
  return path;
}

export function csrFor(keyPath: string, subject: string, extra: string[] = []): string {
  return run(['req', '-new', '-key', keyPath, '-subj', subject, ...extra]);
}

export interface InboxPki {
  dir: string;
  rootPem: string;
  issuingPem: string;
  rootPath: string;
  /** The predecessor: issued from an openssl key, as CSR-mode certificates are. */
  predecessorPem: string;
  predecessorDer: Uint8Array;
  predecessorKey: string;
  /** Signs a CSR as the issuing CA would sign the successor (clientAuth, the predecessor's SAN). */
  sign(csrPem: string, serial: string): string;
  dispose(): void;
}

/** Made once per file (beforeAll): key generation is the slow part. Call dispose() in afterAll. */
export function inboxPki(): InboxPki {
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-inbox-pki-'));
  const p = (name: string) => join(dir, name);
  newKey(p('root.key'));
  run(['req', '-x509', '-new', '-key', p('root.key'), '-subj', '/CN=Inbox Test Root', '-days', '30', '-out', p('root.pem')]);
  newKey(p('issuing.key'));
  writeFileSync(p('ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  writeFileSync(
    p('leaf.ext'),
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectAltName=DNS:${SAN}\n`,
  );
  writeFileSync(p('issuing.csr'), csrFor(p('issuing.key'), '/CN=Inbox Test Issuing'));
  // -extfile with CA:TRUE; the root signs the issuing CA.
  run(
    ['x509', '-req', '-in', p('issuing.csr'), '-CA', p('root.pem'), '-CAkey', p('root.key'), '-set_serial', '0x1001', '-days', '30'].concat(
      ['-extfile', p('ca.ext'), '-out', p('issuing.pem')],
    ),
  );
  const sign = (csrPem: string, serial: string) => {
    const csrPath = p(`req-${serial}.csr`);
    writeFileSync(csrPath, csrPem);
    return run(
      ['x509', '-req', '-in', csrPath, '-CA', p('issuing.pem'), '-CAkey', p('issuing.key'), '-set_serial', `0x${serial}`].concat([
        '-days',
        '10',
        '-extfile',
        p('leaf.ext'),
      ]),
    );
  };
  const predecessorKey = newKey(p('predecessor.key'));
  const predecessorPem = sign(csrFor(predecessorKey, SUBJECT), '0a01');
  const predecessorDer = new Uint8Array(Buffer.from(predecessorPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'));
  return {
    dir,
    rootPem: readFileSync(p('root.pem'), 'utf8'),
    issuingPem: readFileSync(p('issuing.pem'), 'utf8'),
    rootPath: p('root.pem'),
    predecessorPem,
    predecessorDer,
    predecessorKey,
    sign,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A fresh, empty inbox folder (0755, owned by this user) inside a private temp folder. */
export function emptyInbox(): string {
  // The real path: on macOS the temp folder itself is reached through a symlink, which an inbox path may not be.
  const dir = join(realpathSync(tempDir('certdesk-inbox-')), 'inbox');
  mkdirSync(dir, { mode: 0o755 });
  return dir;
}

/** Every entry under `dir`: kind, mode and content hash (or link target), to prove what changed and what did not. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (at: string, rel: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const key = rel ? `${rel}/${name}` : name;
      const info = lstatSync(path);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) out[key] = `link ${readlinkSync(path)}`;
      else if (info.isDirectory()) {
        out[key] = `dir ${mode}`;
        walk(path, key);
      } else if (info.isFile()) out[key] = `file ${mode} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`;
      else out[key] = `other ${mode}`;
    }
  };
  walk(dir, '');
  return out;
}
