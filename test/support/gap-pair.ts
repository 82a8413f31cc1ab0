/**
 * A signer and a publisher in this process, joined by real bundle files through their real transfer
 * cores and offline appliers: the quick form of the gap, for the cases that are not about the
 * signer's network namespace (gap-rig.ts runs the signer through the CLI under `unshare -n`).
 * An open signer folder keeps this whole process off the network, so `closeSigner` it before the
 * publisher talks to a tenant, and `openSigner` again to carry a bundle.
 */
import { join } from 'node:path';
import { MemorySecretStore, type SecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import type { CertificateDetail } from '../../src/shared/contract/index.ts';
import type { ImportView } from '../../src/main/core/transfer/staging.ts';

export interface InProcessGap {
  signerDir: string;
  signer(): CertdeskService;
  closeSigner(): Promise<void>;
  /**
   * Publisher → signer: export, import there, approve everything (or refuse the items of `refuse` with a
   * reason). `afterExport` runs on the publisher once the bundle is written, before the signer sees it.
   */
  toSigner(
    publisher: CertdeskService,
    decide?: { refuse?: (kind: string, details: Record<string, string>) => string | null; afterExport?: () => Promise<unknown> },
  ): Promise<void>;
  /** Signer → publisher: export there, import here; the import's id and items, not yet approved. */
  toPublisher(publisher: CertdeskService): Promise<{ importId: string; items: ImportView['items'] }>;
  /** Certificates the signer issued for the publisher (one round trip), their keys made and sealed on the publisher. */
  issue(publisher: CertdeskService, ...commonNames: string[]): Promise<CertificateDetail[]>;
}

/**
 * Makes the publisher's pair: `publisher` is a fresh folder, set to the publisher role here. `newDir`
 * makes a folder (vitest's tempDir, or a Playwright spec's own: this file imports neither runner).
 */
export async function inProcessGap(
  publisher: CertdeskService,
  newDir: () => string,
  signerStore: SecretStore = new MemorySecretStore(),
): Promise<InProcessGap> {
  const signerDir = newDir();
  const files = newDir();
  let bundles = 0;
  const next = () => join(files, `${++bundles}.cdx`);
  let signer: CertdeskService | null = null;
  const open = () => (signer ??= CertdeskService.open({ dataDir: signerDir, secretStore: signerStore, mode: 'cli' }));
  const closeSigner = async () => {
    if (!signer) return;
    const closing = signer;
    signer = null;
    closing.close();
    await closing.audit.settle();
  };

  await open().createAuthority({ name: 'Offline Root', keyType: 'ec-p256' });
  await open().createAuthority({ name: 'Offline Issuing', parent: 'Offline Root', keyType: 'ec-p256' });
  await open().setRole('signer', 'signer');
  await publisher.setRole('publisher', 'publisher');
  const s = (await open().transfer.exportPairing(join(files, 'signer.json'), false)).file;
  const pub = (await publisher.transfer.exportPairing(join(files, 'publisher.json'), false)).file;
  await publisher.transfer.importPairing(join(files, 'signer.json'), { confirm: s.fingerprint });
  await open().transfer.importPairing(join(files, 'publisher.json'), { confirm: pub.fingerprint });

  const toPublisher = async (p: CertdeskService) => {
    const file = next();
    await open().transfer.exportBundle(file, false);
    const view = await p.transfer.importBundle(file);
    return { importId: view.id, items: view.items };
  };
  const toSigner: InProcessGap['toSigner'] = async (p, decide = {}) => {
    const file = next();
    await p.transfer.exportBundle(file, false);
    await decide.afterExport?.();
    const view = await open().transfer.importBundle(file);
    for (const item of view.items) {
      const reason = decide.refuse?.(item.kind, item.details) ?? null;
      if (reason) open().transfer.refuse(view.id, [item.id], reason);
    }
    await open().transfer.approve(view.id, 'all');
  };

  open().offline.sendCaCertificates();
  const cas = await toPublisher(publisher);
  await publisher.transfer.approve(cas.importId, 'all');

  const issue = async (p: CertdeskService, ...commonNames: string[]) => {
    const asked = [];
    for (const commonName of commonNames)
      asked.push(
        await p.offline.requestSignature({
          purpose: 'issue',
          ca: 'Offline Issuing',
          subject: { commonName, organization: 'YourOrg' },
          source: { kind: 'generated' },
        }),
      );
    await toSigner(p);
    const answer = await toPublisher(p);
    await p.transfer.approve(answer.importId, 'all');
    const requests = p.offline.requests();
    return Promise.all(asked.map((a) => p.getCertificate({ cert: requests.find((r) => r.requestId === a.requestId)!.certificateId! })));
  };

  return { signerDir, signer: open, closeSigner, toSigner, toPublisher, issue };
}
