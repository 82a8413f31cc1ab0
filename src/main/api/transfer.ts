/**
 * The transfer page's channels: pairing, importing, reviewing and deciding bundles, and the next
 * outgoing bundle. Files cross as bytes, bounded by the core's own limits before they are decoded:
 * no caller names a path on this machine. Every channel is refused on a standalone folder
 * (TRANSFER_ROLE), as the CLI's transfer commands are.
 */
import { z } from 'zod';
import { TRANSFER_LIMITS } from '../core/transfer/limits.ts';
import { CertdeskError } from '../core/errors.ts';
import type { TransferExportAgainView, TransferExportView } from '../../shared/contract/index.ts';
import type { ApiContext, Endpoints } from './endpoint.ts';
import { empty } from './fields.ts';

const importId = z.string().regex(/^imp_[0-9a-f]{20}$/, { error: 'import must be an import id such as imp_… (the review lists them)' });
const itemIds = z
  .array(z.string().regex(/^[a-z0-9_-]{1,40}$/, { error: 'item must be an item id from the review' }), { error: 'items must be a list' })
  .min(1, { error: 'items: name at least one item' })
  .max(TRANSFER_LIMITS.items, { error: `items: at most ${TRANSFER_LIMITS.items}` });

/** Base64 of at most `maxBytes` bytes; the length is checked before a byte is decoded. */
const upload = (maxBytes: number, what: string) =>
  z
    .object({
      contentBase64: z
        .string({ error: `file: upload the ${what}` })
        .min(1, { error: `file: the ${what} is empty` })
        .max(Math.ceil(maxBytes / 3) * 4, { error: `file: a ${what} is at most ${maxBytes} bytes` })
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, { error: `file: the ${what} did not arrive as base64` }),
    })
    .strict();
const bytesOf = (base64: string) => Buffer.from(base64, 'base64');

/** Web mode gets the bytes for a download; the desktop app writes where the operator chose in main's save dialog. */
async function exportBundle({ service, saveDialog }: ApiContext): Promise<TransferExportView> {
  const outbox = service.transfer.outbox();
  const filename = `certdesk-${outbox.direction}-${outbox.nextSequence}.cdx`;
  if (!saveDialog) {
    const { bytes, path: _path, exportId: _id, ...result } = await service.transfer.exportBundleBytes();
    return { ...result, filename, contentBase64: bytes.toString('base64') };
  }
  service.transfer.checkExport();
  const chosen = await saveDialog.chooseSavePath({ title: 'Save the transfer bundle', suggestedName: filename });
  if (chosen === null)
    throw new CertdeskError('VALIDATION', 'Export cancelled in the save dialog; no bundle was written.', { field: 'path' });
  const { bytes: _bytes, path, exportId: _id, ...result } = await service.transfer.exportBundleChosen(chosen);
  return { ...result, filename, writtenTo: path };
}

/** The latest bundle again, byte for byte, delivered as `exportBundle` delivers a new one. */
async function exportAgain({ service, saveDialog }: ApiContext): Promise<TransferExportAgainView> {
  service.transfer.checkExportAgain();
  const pick = (last: { direction: TransferExportAgainView['direction']; sequence: number; sha256: string }) => ({
    direction: last.direction,
    sequence: last.sequence,
    sha256: last.sha256,
    filename: `certdesk-${last.direction}-${last.sequence}.cdx`,
  });
  if (!saveDialog) {
    const last = service.transfer.exportAgain();
    return { ...pick(last), contentBase64: last.bytes.toString('base64') };
  }
  const outbox = service.transfer.outbox();
  const chosen = await saveDialog.chooseSavePath({
    title: 'Save the transfer bundle again',
    suggestedName: `certdesk-${outbox.direction}-${outbox.lastExport?.sequence ?? 0}.cdx`,
  });
  if (chosen === null) throw new CertdeskError('VALIDATION', 'Cancelled in the save dialog; nothing was written.', { field: 'path' });
  const last = service.transfer.exportAgain({ path: chosen, force: true });
  return { ...pick(last), writtenTo: last.path };
}

export const transfer = {
  'transfer:review': {
    input: z
      .object({
        import: z
          .string()
          .regex(/^imp_[0-9a-f]{20}$/, { error: 'import must be an import id such as imp_… (certdesk transfer review lists them)' })
          .optional(),
      })
      .strict(),
    handle: (input, { service }) => service.transferReview(input),
  },
  'transfer:pairing': { input: empty, handle: (_input, { service }) => service.transfer.pairingView() },
  'transfer:pair-export': {
    input: empty,
    handle: async (_input, { service }) => {
      const file = await service.transfer.pairingFile();
      return {
        filename: `certdesk-${file.role}-pairing.json`,
        contentBase64: Buffer.from(`${JSON.stringify(file, null, 2)}\n`).toString('base64'),
        fingerprint: file.fingerprint,
      };
    },
  },
  'transfer:pair-inspect': {
    input: upload(TRANSFER_LIMITS.pairingBytes, 'pairing file'),
    handle: (input, { service }) => service.transfer.inspectPairingUpload(bytesOf(input.contentBase64)),
  },
  'transfer:pair-import': {
    input: upload(TRANSFER_LIMITS.pairingBytes, 'pairing file')
      .extend({
        confirm: z
          .string({ error: "confirm: type the peer's fingerprint" })
          .trim()
          .min(1, { error: "confirm: type the peer's fingerprint as the peer's own screen shows it" })
          .max(200, { error: 'confirm: a fingerprint is about 50 characters' }),
        replace: z.boolean().optional(),
      })
      .strict(),
    handle: async (input, { service, targetApprover }) => {
      // A first pairing from the page is the operator comparing fingerprints; replacing a paired peer is
      // not left to whoever holds the renderer or the web token, since a peer's bundles carry CA
      // certificates the edge may come to trust. The CLI, or the desktop app's native dialog, decides.
      const current = await service.transfer.pairingView();
      if (current.peer && input.replace === true) {
        if (!targetApprover)
          throw new CertdeskError(
            'FORBIDDEN',
            `This folder is paired with ${current.peer.fingerprint} already; replacing its peer is for the operator on this machine: certdesk pair import FILE --replace --confirm FINGERPRINT, or the desktop app. Nothing was stored.`,
            { field: 'replace' },
          );
        const confirmed = await targetApprover.confirm([
          `Replace the paired ${current.peer.role} ${current.peer.fingerprint}`,
          `with the ${current.peer.role} whose fingerprint you typed: ${input.confirm}`,
        ]);
        if (!confirmed)
          throw new CertdeskError('VALIDATION', 'Replacing the pairing was not confirmed in the dialog; nothing was stored.', {
            field: 'replace',
          });
      }
      return service.transfer.importPairingUpload(bytesOf(input.contentBase64), {
        confirm: input.confirm,
        ...(input.replace !== undefined ? { replace: input.replace } : {}),
      });
    },
  },
  'transfer:import': {
    input: upload(TRANSFER_LIMITS.bundleBytes, 'transfer bundle'),
    handle: (input, { service }) => service.transfer.importBundleUpload(bytesOf(input.contentBase64)),
  },
  'transfer:approve': {
    input: z.object({ import: importId, items: z.union([z.literal('all'), itemIds]) }).strict(),
    handle: (input, { service }) => service.transfer.approve(input.import, input.items),
  },
  'transfer:refuse': {
    input: z
      .object({
        import: importId,
        items: itemIds,
        reason: z
          .string({ error: 'reason must be text' })
          .trim()
          .min(1, { error: 'reason is required: say why, it travels back to the peer' })
          .max(2000, { error: 'reason is longer than 2000 characters' }),
      })
      .strict(),
    handle: (input, { service }) => service.transfer.refuse(input.import, input.items, input.reason),
  },
  'transfer:outbox': { input: empty, handle: (_input, { service }) => service.transfer.outbox() },
  'transfer:export': { input: empty, handle: (_input, ctx) => exportBundle(ctx) },
  'transfer:export-again': { input: empty, handle: (_input, ctx) => exportAgain(ctx) },
} satisfies Endpoints<
  | 'transfer:review'
  | 'transfer:pairing'
  | 'transfer:pair-export'
  | 'transfer:pair-inspect'
  | 'transfer:pair-import'
  | 'transfer:import'
  | 'transfer:approve'
  | 'transfer:refuse'
  | 'transfer:outbox'
  | 'transfer:export'
  | 'transfer:export-again'
>;
