import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { CoreContext } from '../context.ts';
import { CertdeskError } from '../errors.ts';
import { makeFolderInExistingParent } from '../files/chosen-file.ts';
import { EDGE_MAX_CAS, edgeCaList, type EdgeCas, type EdgeTrust } from '../../../shared/contract/index.ts';
import type { AuthorityRecord } from '../store/authority-repository.ts';
import type { Crls } from '../ca/crls.ts';
import { MTLS_PATHS, nginxServerBlock, rebuiltEdgeSettings, type EdgeSettings, type RebuiltEdgeSettings } from './nginx-config.ts';

export interface EdgeBundle {
  files: Record<string, string>;
  /** Authorities whose certificates are in the CA bundle, issuing CAs first. */
  authorities: string[];
  crlNumbers: Record<string, number>;
}

/**
 * The CAs an edge trusts for these issuing CAs: each one's chain up to its root, every CA once, in the
 * order first met (the issuing CAs as chosen, then what they chain to). Refused by name when a CA is
 * given twice or a chain does not reach a root certdesk holds.
 */
export function edgeChain(ctx: CoreContext, cas: EdgeCas): { issuing: AuthorityRecord[]; chain: AuthorityRecord[]; depth: number } {
  const refs = edgeCaList(cas);
  if (refs.length < 1 || refs.length > EDGE_MAX_CAS)
    throw new CertdeskError('VALIDATION', `Choose from 1 to ${EDGE_MAX_CAS} issuing CAs for the edge to trust (got ${refs.length}).`, {
      field: 'ca',
    });
  const issuing = refs.map((ref) => ctx.authorities.get(ref, 'ca'));
  const twice = issuing.find((ca, i) => issuing.findIndex((other) => other.id === ca.id) !== i);
  if (twice)
    throw new CertdeskError('VALIDATION', `"${twice.name}" is chosen twice; list each issuing CA the edge trusts once.`, { field: 'ca' });
  const chain: AuthorityRecord[] = [];
  let depth = 0;
  for (const first of issuing) {
    const path = [];
    let current = first;
    for (let level = 0; level < 5; level++) {
      path.push(current);
      if (!current.parentId) break;
      current = ctx.authorities.get(current.parentId, 'ca');
    }
    if (path.at(-1)?.kind !== 'root')
      throw new CertdeskError('VALIDATION', `The chain of "${first.name}" does not reach a root in certdesk; import the root first.`, {
        field: 'ca',
      });
    depth = Math.max(depth, path.length);
    for (const ca of path) if (!chain.some((held) => held.id === ca.id)) chain.push(ca);
  }
  return { issuing, chain, depth };
}

/**
 * The edge bundle for one issuing CA or a set of them (a rollover): their chains up to the roots as the
 * CA bundle, a current CRL of every CA in those chains (nginx checks the CRL of each CA in a client's
 * chain and refuses the client when one is missing), the nginx server block, and a README of the steps.
 */
export async function buildEdgeBundle(ctx: CoreContext, crls: Crls, cas: EdgeCas, settings: EdgeSettings): Promise<EdgeBundle> {
  // Refused before anything else is read or made: the README, too, shows only rebuilt values.
  const rebuilt = rebuiltEdgeSettings(settings);
  const { issuing, chain, depth } = edgeChain(ctx, cas);
  const views = ctx.authorities.list();
  const pemOf = (id: string) => views.find((v) => v.id === id)?.pem ?? '';
  const crlPems: string[] = [];
  const crlNumbers: Record<string, number> = {};
  for (const ca of chain) {
    const crl = await crls.current(ca.id);
    crlPems.push(crl.pem);
    crlNumbers[ca.name] = crl.crlNumber;
  }
  const files: Record<string, string> = {
    'ca-bundle.pem': chain.map((ca) => pemOf(ca.id)).join(''),
    'crl.pem': crlPems.join(''),
    'certdesk-edge.conf': nginxServerBlock(settings, depth),
    // One issuing CA reads as its path to the root; a set as the list of every CA trusted.
    'README.md': readme(rebuilt, chain.map((c) => c.name).join(issuing.length === 1 ? ' → ' : ', ')),
  };
  return { files, authorities: chain.map((c) => c.name), crlNumbers };
}

/**
 * Every CA certdesk holds that has not expired, with a current CRL of each: what a test edge (the
 * sandbox's) trusts so that any certificate certdesk issues can be presented to it.
 */
export async function edgeTrust(ctx: CoreContext, crls: Crls): Promise<EdgeTrust> {
  const now = ctx.clock.now().getTime();
  const current = ctx.authorities.list().filter((ca) => new Date(ca.notAfter).getTime() > now);
  if (current.length === 0)
    throw new CertdeskError(
      'NOT_FOUND',
      'certdesk holds no current CA yet, so an edge would trust nothing. Create a root and an issuing CA first (Authorities, or certdesk ca create).',
      { field: 'ca' },
    );
  const crlPems: string[] = [];
  for (const ca of current) crlPems.push((await crls.current(ca.id)).pem);
  return { authorities: current.map((ca) => ca.name), caBundlePem: current.map((ca) => ca.pem).join(''), crlPems };
}

/** Writes the bundle into `dir` atomically: a reload never sees a half-written CA bundle or CRL. */
export function writeEdgeBundle(bundle: EdgeBundle, dir: string): string[] {
  const target = resolve(dir);
  // Kernel pseudo-filesystems: a recursive mkdir there can spin forever instead of failing.
  if (/^\/(proc|sys|dev)(\/|$)/.test(target))
    throw new CertdeskError('VALIDATION', `${target} is a system folder; choose an ordinary folder to publish the edge bundle to.`, {
      field: 'dir',
    });
  const staging = join(target, `.staging-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    // The bundle folder itself may be new, its parents may not: certdesk never creates folders on the way.
    makeFolderInExistingParent(target, { field: 'dir', mode: 0o755 });
    mkdirSync(staging);
    for (const [name, body] of Object.entries(bundle.files)) writeFileSync(join(staging, name), body, { mode: 0o644 });
    for (const name of Object.keys(bundle.files)) renameSync(join(staging, name), join(target, name));
  } catch (cause) {
    if (cause instanceof CertdeskError) throw cause;
    throw new CertdeskError(
      'VALIDATION',
      `Cannot write the edge bundle to ${target}: ${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message}. Choose a folder you can write to; nothing was published.`,
      { field: 'dir', cause },
    );
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return Object.keys(bundle.files).map((name) => join(target, name));
}

function readme(s: RebuiltEdgeSettings, chain: string): string {
  return `# certdesk edge bundle for ${s.serverName}

Auth0 keeps no CA chain: the customer edge (this nginx) checks client certificates and forwards
only ${MTLS_PATHS.join(', ')} to the tenant with the headers Auth0 reads.

Files:
- \`ca-bundle.pem\`: the CAs client certificates must chain to (${chain}).
- \`crl.pem\`: the current CRL of each of those CAs. Publish a new bundle before the CRLs' next update.
- \`certdesk-edge.conf\`: the nginx server block.

Steps:
1. Copy this folder to ${s.bundleDir} on the edge.
2. Put the edge's TLS certificate and key at ${s.serverCertificatePath} and ${s.serverKeyPath}.
3. Write the cname-api-key (from \`POST /api/v2/custom-domains/{id}/verify\`, shown once) to
   ${s.cnameApiKeyInclude} as \`proxy_set_header cname-api-key "<key>";\`, readable by nginx only.
   It is not in this bundle on purpose.
4. \`include ${s.bundleDir}/certdesk-edge.conf;\` inside the \`http {}\` block, then \`nginx -t && nginx -s reload\`.
5. Check: a request to https://${s.serverName}/oauth/token without a client certificate must get 400.
${
  s.accessLog === null
    ? ''
    : `
Access log: nginx writes one JSON line per request to ${s.accessLog} (time, client certificate serial
and issuer, verification result, path, status). certdesk reads it as evidence of which certificates
are in use: set \`certdesk usage --source ${s.accessLog}\` when this machine is the edge.
`
}`;
}
