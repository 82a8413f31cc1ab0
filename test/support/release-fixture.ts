import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FILE_NAMES, releaseId, type Release, type ReleaseFile } from '../../src/main/core/delivery/release.ts';
import { openssl } from './openssl.ts';

function run(args: string[]): void {
  const result = openssl(args);
  if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.output}`);
}

export interface TestPki {
  dir: string;
  rootPath: string;
  /** Issues a leaf under the issuing CA (made by openssl, independently of certdesk) and returns it as a release. */
  release(name: string, at?: Date): Release;
}

/** A root and an issuing CA made by openssl in `dir`: releases carry leaves they sign. */
export function testPki(dir: string): TestPki {
  const path = (name: string) => join(dir, name);
  const ec = ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  run(['genpkey', ...ec, '-out', path('root.key')]);
  run(['req', '-x509', '-new', '-key', path('root.key'), '-subj', '/CN=SSH Test Root', '-days', '30', '-out', path('root.pem')]);
  run(['genpkey', ...ec, '-out', path('issuing.key')]);
  run(['req', '-new', '-key', path('issuing.key'), '-subj', '/CN=SSH Test Issuing', '-out', path('issuing.csr')]);
  const caExt = path('ca.ext');
  writeFileSync(caExt, 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  run(
    ['x509', '-req', '-in', path('issuing.csr'), '-CA', path('root.pem'), '-CAkey', path('root.key'), '-days', '30'].concat([
      '-extfile',
      caExt,
      '-out',
      path('issuing.pem'),
    ]),
  );
  const leafExt = path('leaf.ext');
  writeFileSync(leafExt, 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
  let counter = 0;
  return {
    dir,
    rootPath: path('root.pem'),
    release(name, at = new Date(Date.now() + counter * 1000)) {
      counter++;
      const key = path(`${name}.key`);
      run(['genpkey', ...ec, '-out', key]);
      run(['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', path(`${name}.csr`)]);
      run(
        ['x509', '-req', '-in', path(`${name}.csr`), '-CA', path('issuing.pem'), '-CAkey', path('issuing.key'), '-days', '10'].concat([
          '-extfile',
          leafExt,
          '-out',
          path(`${name}.pem`),
        ]),
      );
      const cert = readFileSync(path(`${name}.pem`));
      const chain = readFileSync(path('issuing.pem'));
      const x509 = new X509Certificate(cert);
      const serialHex = x509.serialNumber.toLowerCase();
      const files: ReleaseFile[] = [
        { role: 'cert', name: DEFAULT_FILE_NAMES.cert, bytes: cert, mode: 0o644 },
        { role: 'chain', name: DEFAULT_FILE_NAMES.chain, bytes: chain, mode: 0o644 },
        { role: 'fullchain', name: DEFAULT_FILE_NAMES.fullchain, bytes: Buffer.concat([cert, chain]), mode: 0o644 },
        { role: 'key', name: DEFAULT_FILE_NAMES.key, bytes: readFileSync(key), mode: 0o600 },
      ];
      const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
      const id = releaseId(serialHex, at);
      return {
        manifest: {
          format: 'certdesk-release/1',
          releaseId: id,
          certificateId: `cert_${name}`,
          serialHex,
          sha256: sha(x509.raw),
          notAfter: new Date(x509.validTo).toISOString(),
          writtenAt: at.toISOString(),
          files: Object.fromEntries(files.map((f) => [f.name, sha(f.bytes)])),
        },
        files,
      };
    },
  };
}
