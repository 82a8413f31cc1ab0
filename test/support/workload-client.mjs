// A workload as an operator runs one: it asks the edge for a token every 200 ms (client_credentials
// over mTLS, a new TLS connection each time) and takes its certificate and key, on each connection,
// from where certdesk delivers them. Each attempt is one JSON line in the log:
//   {"at": ms, "serial": hex|null, "status": number|null, "ok": bool, "error"?: text}
// Started with a JSON argument (see workload.ts); stops on SIGTERM.
//
// --mode folder: the folder target's release layout (src/main/core/delivery/release.ts): resolve
//   DIR/current once per request, then read cert.pem and key.pem from that release, never through
//   `current` twice (two opens could straddle a swap).
// --mode csr-inbox: the workload keeps its key (a CSR-mode certificate with a csr-inbox target): on "csr" on stdin it makes a new key and a CSR with openssl (argv,
//   no shell), drops DIR/request.csr atomically, and switches once DIR/issued/cert.pem carries its
//   new key. Until then it keeps presenting the pair it has.
import { spawnSync } from 'node:child_process';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

const options = JSON.parse(process.argv[2]);
const { mode, dir, log, connect, tokenUrl, caPem, clientId, audience, intervalMs = 200, timeoutMs = 10_000 } = options;
const url = new URL(tokenUrl);

const spki = (key) => createPublicKey(key).export({ type: 'spki', format: 'der' });

/** The folder target: one realpath, then both files from that release. */
function folderIdentity() {
  const release = realpathSync(join(dir, 'current'));
  return { cert: readFileSync(join(release, 'cert.pem'), 'utf8'), key: readFileSync(join(release, 'key.pem'), 'utf8') };
}

/** The csr-inbox workload's own state: the pair in use, and a key waiting for its certificate. */
const own = { cert: null, key: null, pendingKey: null };
const ownDir = options.ownDir;

function makeRequest() {
  mkdirSync(ownDir, { recursive: true, mode: 0o700 });
  const keyPath = join(ownDir, `next-${Date.now()}.key`);
  const csrPath = join(ownDir, 'request.csr');
  const run = (args) => {
    const r = spawnSync('openssl', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr}`);
  };
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', keyPath]);
  run(['req', '-new', '-key', keyPath, '-subj', options.subject, '-out', csrPath]);
  own.pendingKey = readFileSync(keyPath, 'utf8');
  // The inbox contract: a temporary name in the inbox, then a rename.
  const tmp = join(dir, `.request-${process.pid}.tmp`);
  writeFileSync(tmp, readFileSync(csrPath));
  renameSync(tmp, join(dir, 'request.csr'));
}

function inboxIdentity() {
  if (own.cert === null) {
    own.cert = readFileSync(options.initialCert, 'utf8');
    own.key = readFileSync(options.initialKey, 'utf8');
  }
  const issued = join(dir, 'issued', 'cert.pem');
  if (own.pendingKey && existsSync(issued)) {
    const cert = readFileSync(issued, 'utf8');
    if (new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }).equals(spki(own.pendingKey))) {
      own.cert = cert;
      own.key = own.pendingKey;
      own.pendingKey = null;
    }
  }
  return { cert: own.cert, key: own.key };
}

const identity = mode === 'folder' ? folderIdentity : inboxIdentity;
if (mode !== 'folder' && mode !== 'csr-inbox') throw new Error(`unknown mode ${mode}`);
if (mode === 'csr-inbox') {
  process.stdin.on('data', (d) => {
    if (d.toString().includes('csr')) makeRequest();
  });
}

function tokenRequest(cert, key) {
  return new Promise((resolve) => {
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, audience }).toString();
    const req = request(
      {
        host: connect.host,
        port: connect.port,
        path: url.pathname,
        method: 'POST',
        servername: url.hostname,
        ca: caPem,
        cert,
        key,
        agent: false,
        timeout: timeoutMs,
        headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d.toString()));
        res.on('end', () => {
          const ok = res.statusCode === 200 && typeof JSON.parse(text || '{}').access_token === 'string';
          resolve({ status: res.statusCode, ok, ...(ok ? {} : { error: text.slice(0, 300) }) });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ status: null, ok: false, error: error.message }));
    req.end(body);
  });
}

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

async function attempt() {
  const at = Date.now();
  let serial = null;
  let result;
  try {
    const { cert, key } = identity();
    serial = new X509Certificate(cert).serialNumber;
    result = await tokenRequest(cert, key);
  } catch (error) {
    result = { status: null, ok: false, error: `reading the identity: ${error.message}` };
  }
  appendFileSync(log, `${JSON.stringify({ at, serial, ...result })}\n`);
}

process.stdout.write('started\n');
while (!stopping) {
  const began = Date.now();
  await attempt();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - began))));
}
process.exit(0);
