import { Alert, Button, Checkbox, Group, PasswordInput, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconKey } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import type { CertificateDetail, ExportFormat, ExportResult, Failure } from '../../../../../shared/contract/index.ts';
import { CopyValueButton } from '../../../components/CopyValueButton.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../../components/GuardedModal.tsx';
import { downloadBase64 } from '../../../format/download.ts';
import { useAppInfo } from '../../../state/app-data.tsx';
import { useCall } from '../../../state/use-call.ts';
import { EXPORT_CHOICES, MIN_EXPORT_PASSPHRASE, exportErrors, withKey, type ExportValues } from './export-form.ts';

interface Props {
  opened: boolean;
  certificate: CertificateDetail;
  onClose: () => void;
}

export function ExportModal({ opened, certificate, onClose }: Props) {
  const call = useCall();
  const { mode } = useAppInfo();
  const hasKey = certificate.keyStorage === 'sealed';
  // Nothing is judged until the first submit; from then on every change checks the whole form again.
  const submitted = useRef(false);
  const form = useForm<ExportValues>({
    mode: 'controlled',
    initialValues: { format: 'pem', passphrase: '', confirm: '', acknowledged: false },
    validate: exportErrors,
    onValuesChange: () => {
      if (submitted.current) form.validate();
    },
  });
  const values = form.getValues();
  const errors = form.errors as ReturnType<typeof exportErrors>;
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  // A key export that is done: main saved it (desktop) or the browser downloaded it (web).
  const [written, setWritten] = useState<ExportResult | null>(null);
  const keyFormat = withKey(values.format);
  const serverError = (field: string) => (failure?.field === field ? failure.message : undefined);

  const submit = async (values: ExportValues) => {
    setFailure(null);
    setBusy(true);
    // No path: the desktop app asks in main's own save dialog, web mode downloads.
    const result = await call('certs:export', {
      cert: certificate.id,
      format: values.format,
      ...(keyFormat ? { passphrase: values.passphrase } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    const exported = result.value;
    if (exported.contentBase64 !== undefined) downloadBase64(exported.filename, exported.contentBase64);
    if (!exported.containsKey) {
      notifications.show({ color: 'teal', title: 'Exported', message: `Saved ${exported.filename} to your downloads.` });
      onClose();
    } else {
      // A key file stays on screen with its warning: where it went, and that this copy should go once used.
      form.setValues({ passphrase: '', confirm: '' });
      setWritten(exported);
    }
  };

  return (
    <GuardedModal
      opened={opened}
      busy={busy}
      onClose={onClose}
      size="lg"
      // A node, not a string: this heading stays at the regular size in the large dialog.
      title={<Text fw={600}>Export {certificate.commonName ?? 'certificate'}</Text>}
      testId="export-dialog"
    >
      {written ? (
        <Stack>
          <Alert
            color="teal"
            variant="light"
            icon={<IconCheck />}
            title={written.writtenTo ? `Saved ${savedName(written.writtenTo)}` : `Downloaded ${written.filename}`}
            data-testid="export-written-title"
          >
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="export-written-to">
                {written.writtenTo ? `Saved to ${written.writtenTo}` : `Saved to your browser's downloads as ${written.filename}`}
              </Text>
              {written.writtenTo && <CopyValueButton value={written.writtenTo} label="file path" testId="export-copy-path" />}
            </Group>
          </Alert>
          <Text size="sm" c="dimmed">
            The file holds the private key, encrypted under the passphrase you chose. Move it to where it is needed and delete this copy.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus data-testid="export-done">
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            submitted.current = true;
            form.onSubmit((submittedValues) => void submit(submittedValues))(event);
          }}
          noValidate
        >
          <Stack>
            {failure && failure.field !== 'passphrase' && (
              <ErrorAlert title="Nothing was exported" data-testid="export-error" code={failure.code}>
                {failure.message}
              </ErrorAlert>
            )}
            <Radio.Group
              label="Format"
              value={values.format}
              onChange={(format) => form.setValues({ format: format as ExportFormat, acknowledged: false })}
              data-testid="export-format"
            >
              <Stack gap="xs" mt="xs">
                {EXPORT_CHOICES.map((choice) => {
                  const unavailable = choice.withKey && !hasKey;
                  return (
                    <Radio.Card
                      key={choice.format}
                      value={choice.format}
                      p="sm"
                      radius="md"
                      disabled={busy || unavailable}
                      data-testid={`export-format-${choice.format}`}
                      style={unavailable ? { opacity: 0.55 } : undefined}
                    >
                      <Group wrap="nowrap" align="flex-start" gap="sm">
                        <Radio.Indicator disabled={busy || unavailable} />
                        <div>
                          <Group gap={6}>
                            <Text fw={600} size="sm">
                              {choice.title}
                            </Text>
                            {choice.withKey && <IconKey size={14} aria-label="contains the private key" />}
                          </Group>
                          <Text size="xs" c="dimmed">
                            {unavailable ? 'Unavailable: certdesk holds no private key for this certificate.' : choice.text}
                          </Text>
                        </div>
                      </Group>
                    </Radio.Card>
                  );
                })}
              </Stack>
            </Radio.Group>

            {keyFormat && (
              <>
                <SimpleGrid cols={{ base: 1, sm: 2 }}>
                  <PasswordInput
                    label="Passphrase"
                    description={`At least ${MIN_EXPORT_PASSPHRASE} characters; the key is never exported unprotected.`}
                    {...form.getInputProps('passphrase')}
                    error={errors.passphrase || serverError('passphrase')}
                    autoComplete="new-password"
                    disabled={busy}
                    data-testid="export-passphrase"
                  />
                  <PasswordInput
                    label="Confirm passphrase"
                    {...form.getInputProps('confirm')}
                    autoComplete="new-password"
                    disabled={busy}
                    data-testid="export-passphrase-confirm"
                  />
                </SimpleGrid>
                <Checkbox
                  label="I understand this file contains the private key"
                  description="Anyone with the file and the passphrase can act as this client."
                  {...form.getInputProps('acknowledged', { type: 'checkbox' })}
                  disabled={busy}
                  color="orange"
                  data-testid="export-contains-key"
                />
              </>
            )}

            <Group justify="flex-end">
              <Button variant="default" onClick={onClose} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} color={keyFormat ? 'orange' : undefined} data-testid="export-submit">
                {keyFormat && mode === 'electron' ? 'Save…' : 'Download'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </GuardedModal>
  );
}

/** The file the operator chose in the save dialog (it may differ from the suggested name), not the suggestion. */
function savedName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}
