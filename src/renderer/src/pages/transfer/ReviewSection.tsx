import { Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import {
  TRANSFER_FILE_BYTES,
  type Failure,
  type TransferDecisionResult,
  type TransferImportView,
} from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../state/use-channel-query.ts';
import { FileUploadButton, type Upload } from './FileUploadButton.tsx';
import { ImportReview } from './ImportReview.tsx';

const NO_INPUT = {};

/**
 * Importing a bundle stages it: every item is listed with its effect and nothing happens until the
 * operator decides. Shown: every import with items still pending, and those decided on this visit.
 */
export function ReviewSection() {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const pending = useChannelQuery('transfer:review', NO_INPUT);
  const [recent, setRecent] = useState<TransferImportView[]>([]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);

  const remember = (view: TransferImportView) => setRecent((views) => [...views.filter((v) => v.id !== view.id), view]);

  const importBundle = async (file: Upload) => {
    setFailure(null);
    setBusy(true);
    const result = await call('transfer:import', { contentBase64: file.contentBase64 });
    setBusy(false);
    if (!result.ok) return setFailure({ ...result.error, message: `${file.name}: ${result.error.message}` });
    remember(result.value);
    await invalidate('transfer:review');
  };

  const decided = async (result: TransferDecisionResult) => {
    remember(result.import);
    // An approval may queue answers (a signer's) and change the inventory.
    await Promise.all([invalidate('transfer:review'), invalidate('transfer:outbox'), invalidate('certs:list'), invalidate('ca:list')]);
  };

  // The latest view of each import: what the pending list read, else what a call on this visit returned.
  const fromQuery = pending.data ?? [];
  const shown = [...recent.filter((r) => !fromQuery.some((q) => q.id === r.id)), ...fromQuery].sort((a, b) =>
    a.importedAt.localeCompare(b.importedAt),
  );

  return (
    <Stack gap="sm" data-testid="transfer-review">
      <Title order={3} size="h4">
        Import and review
      </Title>
      <Text size="sm">
        A bundle from the paired peer is verified (signature, sequence, every item’s hash) and staged. Nothing is signed, stored or revoked
        until you approve it; a refusal and its reason are recorded.
      </Text>
      <div>
        <FileUploadButton
          label="Import a bundle (.cdx)…"
          accept=".cdx"
          maxBytes={TRANSFER_FILE_BYTES.bundle}
          what="a transfer bundle"
          loading={busy}
          onFile={(file) => void importBundle(file)}
          onRefused={(message) => setFailure({ code: 'TRANSFER_TOO_LARGE', message, field: 'file' })}
          testId="bundle-import"
        />
      </div>
      {failure && (
        <ErrorAlert title="The bundle was refused; nothing was staged" code={failure.code} data-testid="bundle-import-error">
          {failure.message}
        </ErrorAlert>
      )}
      {pending.failure && (
        <ErrorAlert title="The review could not be read" code={pending.failure.code} data-testid="review-read-error">
          {pending.failure.message}
        </ErrorAlert>
      )}
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="review-empty">
          Nothing waits for review.
        </Text>
      ) : (
        shown.map((view) => <ImportReview key={view.id} view={view} onDecided={(result) => void decided(result)} />)
      )}
    </Stack>
  );
}
