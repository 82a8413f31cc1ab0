import type { EdgeTrust } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { CertdeskService } from '../service.ts';

/** certdesk's CAs and CRLs for a sandbox's edge; none while certdesk holds no CA (the edge then stays off). */
export async function currentTrust(service: Pick<CertdeskService, 'edgeTrust'>): Promise<EdgeTrust | undefined> {
  try {
    return await service.edgeTrust();
  } catch (error) {
    if (error instanceof CertdeskError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}
