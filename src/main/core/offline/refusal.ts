import type { RefusalItem, TransferItem } from '../../../shared/contract/index.ts';
import { CertdeskError } from '../errors.ts';
import type { ItemApplier, ItemReview } from '../transfer/ports.ts';
import { OutgoingRequests } from './outgoing-requests.ts';
import type { OfflineParts } from './parts.ts';

/** The signer refused one of this publisher's requests: the request is closed as refused, with the signer's code and reason. */
export function refusalApplier(parts: OfflineParts): ItemApplier<RefusalItem> {
  const requests = new OutgoingRequests(parts.ctx.db);
  const find = (item: RefusalItem) => {
    const request = requests.get(item.requestId);
    if (!request)
      throw new CertdeskError(
        'REQUEST_UNKNOWN',
        `This publisher made no request ${item.requestId.slice(0, 64)}: the refusal answers nothing here.`,
        {
          field: 'requestId',
        },
      );
    if (request.state !== 'queued')
      throw new CertdeskError('CONFLICT', `Request ${request.requestId} was already ${request.state}; this refusal changes nothing.`, {
        field: 'requestId',
      });
    return request;
  };
  return {
    kind: 'refusal',
    review(item): ItemReview {
      const details = { requestId: item.requestId, code: item.code, reason: item.reason };
      try {
        const request = find(item);
        return {
          effect: `Mark ${request.kind} ${request.requestId} refused by the signer: ${item.code}`,
          details: { ...details, kind: request.kind, ...(request.purpose ? { purpose: request.purpose } : {}) },
          problem: null,
        };
      } catch (error) {
        if (!(error instanceof CertdeskError)) throw error;
        return { effect: `Mark request ${item.requestId} refused`, details, problem: { code: error.code, reason: error.message } };
      }
    },
    async apply(item, origin): Promise<TransferItem[]> {
      const { ctx } = parts;
      const request = find(item);
      ctx.db
        .transaction(() => {
          if (!requests.markRefused(request.requestId, item.code.slice(0, 64), item.reason.slice(0, 2000), ctx.clock.now().toISOString()))
            throw new CertdeskError('CONFLICT', `Request ${request.requestId} was closed a moment ago by another import.`, {
              field: 'requestId',
            });
          ctx.audit.append('offline.refused', request.predecessorId, {
            requestId: request.requestId,
            kind: request.kind,
            code: item.code.slice(0, 64),
            importId: origin.importId,
            itemId: origin.itemId,
          });
        })
        .immediate();
      return [];
    },
  };
}
