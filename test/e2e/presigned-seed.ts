/**
 * A publisher's data folder as the offline signer leaves it: the CA certificates and one pre-signed
 * CRL series per CA, made by a real signer (a throw-away data folder) and applied through the
 * publisher's own import appliers, before the web host starts on the folder.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publisherAppliers, signerAppliers } from '../../src/main/core/offline/appliers.ts';
import type { OfflineParts } from '../../src/main/core/offline/parts.ts';
import { requestCrlSeries } from '../../src/main/core/offline/requests.ts';
import { KeychainSecretStore } from '../../src/main/core/secrets/keychain-secret-store.ts';
import { MemorySecretStore } from '../../src/main/core/secrets/secret-store.ts';
import { CertdeskService } from '../../src/main/core/service.ts';
import type { TransferQueue } from '../../src/main/core/transfer/ports.ts';
import type { CrlItem, CrlRequestItem, TransferItem } from '../../src/shared/contract/index.ts';

const HOUR = 3_600_000;

const partsOf = (service: CertdeskService): OfflineParts => ({
  ctx: service.edgeContext(),
  inventory: service.inventory,
  issuance: service.issuance,
  crls: service.crls,
});

/** Reviewed, then applied, as the operator approving each item would; a review problem stops the seed by name. */
async function applyAll(appliers: object, items: TransferItem[]): Promise<TransferItem[]> {
  const out: TransferItem[] = [];
  for (const [n, item] of items.entries()) {
    const applier = (appliers as Record<string, unknown>)[item.kind] as {
      review(i: TransferItem): Promise<{ problem: { reason: string } | null }>;
      apply(i: TransferItem, o: { importId: string; itemId: string }): Promise<TransferItem[]>;
    };
    const review = await applier.review(item);
    if (review.problem) throw new Error(`seed: ${item.kind} refused: ${review.problem.reason}`);
    out.push(...(await applier.apply(item, { importId: 'imp_seed', itemId: `item${n}` })));
  }
  return JSON.parse(JSON.stringify(out)) as TransferItem[];
}

/**
 * Seeds `dataDir` (keys in the real keyring, as the web host reads them): the root's series ran out a
 * day ago; the issuing CA's last CRL runs out in about a week, inside the 14-day warning window.
 */
export async function seedPresignedPublisher(dataDir: string): Promise<void> {
  const signerDir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-signer-'));
  const now = Date.now();
  let signerNow = now - 200 * HOUR;
  const signer = CertdeskService.open({
    dataDir: signerDir,
    secretStore: new MemorySecretStore(),
    mode: 'cli',
    clock: { now: () => new Date(signerNow) },
  });
  const publisher = CertdeskService.open({ dataDir, secretStore: new KeychainSecretStore(), mode: 'cli' });
  try {
    const root = await signer.createAuthority({ name: 'Gap Root', keyType: 'ec-p256' });
    await signer.createAuthority({ name: 'Gap Issuing', parent: root.id, keyType: 'ec-p256' });
    const atPublisher = publisherAppliers(partsOf(publisher));
    await applyAll(
      atPublisher,
      signer.authorities.list().map((a) => ({ kind: 'ca-certificate' as const, certificatePem: a.pem })),
    );
    const queued: TransferItem[] = [];
    const queue: TransferQueue = { enqueue: (_direction, item) => String(queued.push(JSON.parse(JSON.stringify(item)) as TransferItem)) };
    requestCrlSeries(partsOf(publisher), queue, { ca: 'Gap Root', count: 1, periodHours: 168 });
    requestCrlSeries(partsOf(publisher), queue, { ca: 'Gap Issuing', count: 1, periodHours: 168 });
    const [rootRequest, issuingRequest] = queued as CrlRequestItem[];
    const atSigner = signerAppliers(partsOf(signer));
    // The root's week was signed 200 hours ago; the issuing CA's one week starts now.
    const rootSeries = await applyAll(atSigner, [rootRequest!]);
    signerNow = now;
    const issuingSeries = await applyAll(atSigner, [issuingRequest!]);
    await applyAll(atPublisher, [...(rootSeries as CrlItem[]), ...(issuingSeries as CrlItem[])]);
  } finally {
    signer.close();
    await signer.audit.settle();
    publisher.close();
    await publisher.audit.settle();
    rmSync(signerDir, { recursive: true, force: true });
  }
}
