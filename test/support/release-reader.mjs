// A workload reading its certificate and key from a folder target as fast as it can: it resolves
// `current` once per read (the layout's reader contract), reads cert.pem and key.pem from that
// release, and checks that the key belongs to the certificate. A release pruned between resolving
// and reading (ENOENT) is read again; a mismatched pair is what must never happen.
// Prints "ready" once; on "stop" on stdin prints its tally as one JSON line and exits.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const tally = { reads: 0, mismatches: 0, retries: 0, serials: [] };
let stop = false;
process.stdin.on('data', (d) => {
  if (d.toString().includes('stop')) stop = true;
});

function readOnce() {
  let release;
  try {
    release = realpathSync(join(dir, 'current'));
  } catch {
    return; // no release yet
  }
  let cert;
  let key;
  try {
    cert = readFileSync(join(release, 'cert.pem'), 'utf8');
    key = readFileSync(join(release, 'key.pem'), 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    tally.retries++;
    return;
  }
  tally.reads++;
  const x = new X509Certificate(cert);
  const fromCert = x.publicKey.export({ type: 'spki', format: 'der' });
  const fromKey = createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'der' });
  if (!fromCert.equals(fromKey)) tally.mismatches++;
  if (!tally.serials.includes(x.serialNumber)) tally.serials.push(x.serialNumber);
}

process.stdout.write('ready\n');
function loop() {
  for (let i = 0; i < 20 && !stop; i++) readOnce();
  if (stop) {
    process.stdout.write(`${JSON.stringify(tally)}\n`);
    process.exit(0);
  }
  setImmediate(loop);
}
loop();
