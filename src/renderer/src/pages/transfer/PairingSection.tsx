import { Alert, Button, Checkbox, Code, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconDownload, IconShieldCheck } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { TRANSFER_FILE_BYTES, type Failure, type TransferPairInspection } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { downloadBase64 } from '../../format/download.ts';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../state/use-channel-query.ts';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';
import { FileUploadButton, type Upload } from './FileUploadButton.tsx';

const NO_INPUT = {};

function FingerprintCard({
  title,
  fingerprint,
  note,
  testId,
}: {
  title: string;
  fingerprint: string | null;
  note: string;
  testId: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="sm" fw={600}>
        {title}
      </Text>
      {fingerprint ? (
        <Code block data-testid={testId} style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {fingerprint}
        </Code>
      ) : (
        <Text size="sm" c="dimmed" data-testid={`${testId}-none`}>
          Not paired yet
        </Text>
      )}
      <Text size="xs" c="dimmed" mt={4}>
        {note}
      </Text>
    </Paper>
  );
}

/**
 * Pairing, as with SSH host keys: this folder's transfer key and the peer's side by side, this side's
 * pairing file as a download, and the peer's file checked and shown before the operator types its
 * fingerprint from the peer's own screen to store it.
 */
export function PairingSection() {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const pairing = useChannelQuery('transfer:pairing', NO_INPUT);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [upload, setUpload] = useState<Upload | null>(null);
  const [inspected, setInspected] = useState<TransferPairInspection | null>(null);
  const [confirm, setConfirm] = useState('');
  const [replace, setReplace] = useState(false);
  const [paired, setPaired] = useState<string | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const focus = useFocusWhenIdle(form, busy);

  const exportOwn = async () => {
    setFailure(null);
    const result = await call('transfer:pair-export', {});
    if (!result.ok) return setFailure(result.error);
    if (result.value.contentBase64) downloadBase64(result.value.filename, result.value.contentBase64);
  };

  const inspect = async (file: Upload) => {
    setFailure(null);
    setPaired(null);
    setInspected(null);
    setConfirm('');
    setBusy(true);
    const result = await call('transfer:pair-inspect', { contentBase64: file.contentBase64 });
    setBusy(false);
    if (!result.ok) return setFailure(result.error);
    setUpload(file);
    setInspected(result.value);
    focus('pair-confirm');
  };

  const submit = async () => {
    if (!upload || !inspected) return;
    setFailure(null);
    setBusy(true);
    const result = await call('transfer:pair-import', {
      contentBase64: upload.contentBase64,
      confirm,
      ...(inspected.replaces ? { replace } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      if (result.error.field === 'confirm') focus('pair-confirm');
      return;
    }
    setPaired(result.value.peer.fingerprint);
    setUpload(null);
    setInspected(null);
    setConfirm('');
    await Promise.all([invalidate('transfer:pairing'), invalidate('transfer:outbox')]);
  };

  const view = pairing.data;
  const typedWrong = confirm.trim().length > 0 && inspected !== null && confirm.trim() !== inspected.fingerprint;

  return (
    <Stack gap="sm" data-testid="transfer-pairing">
      <Title order={3} size="h4">
        Pairing
      </Title>
      {pairing.failure && (
        <ErrorAlert title="Pairing could not be read" code={pairing.failure.code} data-testid="pair-read-error">
          {pairing.failure.message}
        </ErrorAlert>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <FingerprintCard
          title={`This folder (${view?.role ?? '…'})`}
          fingerprint={view?.fingerprint ?? null}
          note="Read this aloud to the operator at the other workstation, or compare it with what its page shows."
          testId="pair-own-fingerprint"
        />
        <FingerprintCard
          title={view?.peer ? `Paired ${view.peer.role} (${view.peer.actor})` : 'Paired peer'}
          fingerprint={view?.peer?.fingerprint ?? null}
          note={
            view?.peer
              ? `Paired ${view.peer.pairedAt} by ${view.peer.pairedBy}. It must match the fingerprint the ${view.peer.role}'s own page shows.`
              : 'Import the peer’s pairing file below.'
          }
          testId="pair-peer-fingerprint"
        />
      </SimpleGrid>
      <Text size="sm">
        Compare both fingerprints with the other workstation’s screen, character by character. A different fingerprint means the file was
        swapped on the way: do not pair.
      </Text>
      <Group gap="sm">
        <Button
          variant="default"
          leftSection={<IconDownload size={18} aria-hidden />}
          onClick={() => void exportOwn()}
          data-testid="pair-export"
        >
          Download this folder’s pairing file
        </Button>
        <FileUploadButton
          label="Import the peer’s pairing file…"
          accept=".json"
          maxBytes={TRANSFER_FILE_BYTES.pairing}
          what="a pairing file"
          disabled={busy}
          loading={busy && !inspected}
          onFile={(file) => void inspect(file)}
          onRefused={(message) => setFailure({ code: 'TRANSFER_TOO_LARGE', message, field: 'file' })}
          testId="pair-import"
        />
      </Group>

      {inspected && upload && (
        <form
          ref={form}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Paper withBorder p="sm" radius="md" data-testid="pair-inspected">
            <Stack gap="xs">
              <Text size="sm">
                {upload.name} is the pairing file of a <b>{inspected.role}</b> ({inspected.actor}), made {inspected.createdAt}. Its
                fingerprint:
              </Text>
              <Code block data-testid="pair-inspected-fingerprint" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                {inspected.fingerprint}
              </Code>
              <TextInput
                label={`Type the fingerprint the ${inspected.role}’s own page shows`}
                description="Nothing is stored until it matches this file’s fingerprint."
                value={confirm}
                onChange={(event) => setConfirm(event.currentTarget.value)}
                error={typedWrong ? 'That is not the fingerprint in this file: if the peer’s screen shows it, the file was swapped.' : null}
                autoComplete="off"
                spellCheck={false}
                disabled={busy}
                data-testid="pair-confirm"
              />
              {inspected.replaces && (
                <Checkbox
                  label={`Replace the current pairing with ${inspected.replaces}`}
                  checked={replace}
                  onChange={(event) => setReplace(event.currentTarget.checked)}
                  disabled={busy}
                  data-testid="pair-replace"
                />
              )}
              <Group justify="flex-end">
                <Button
                  variant="default"
                  disabled={busy}
                  onClick={() => {
                    setInspected(null);
                    setUpload(null);
                    setFailure(null);
                  }}
                >
                  Cancel
                </Button>
                <Button
                  type="submit"
                  loading={busy}
                  disabled={confirm.trim() !== inspected.fingerprint || (inspected.replaces !== null && !replace)}
                  leftSection={<IconShieldCheck size={18} aria-hidden />}
                  data-testid="pair-submit"
                >
                  Pair with this {inspected.role}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </form>
      )}
      {failure && (
        <ErrorAlert title="Not paired" code={failure.code} data-testid="pair-error">
          {failure.message}
        </ErrorAlert>
      )}
      {paired && (
        <Alert color="green" variant="light" data-testid="pair-done">
          Paired with {paired}. Pairing was recorded in the audit log.
        </Alert>
      )}
    </Stack>
  );
}
