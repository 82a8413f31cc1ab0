import { Alert, Button, Group, PasswordInput, Stack } from '@mantine/core';
import { IconFolderDown } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { DiagnoseInput, DiagnosticFilesResult, Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { downloadBase64 } from '../../format/download.ts';
import { useAppInfo } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';

/**
 * Saves the files the stages' commands name, the client's key encrypted under the passphrase. Where
 * they go is never this page's choice: the desktop app asks in main's own folder dialog, web mode
 * hands them to the browser as downloads.
 */
export function SaveFilesForm({ request }: { request: DiagnoseInput }) {
  const call = useCall();
  const { mode } = useAppInfo();
  // Main has the only word on the passphrase: its refusal (failure.field) is shown on the field.
  const form = useForm({ mode: 'controlled', initialValues: { passphrase: '' } });
  const { passphrase } = form.getValues();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState<DiagnosticFilesResult | null>(null);

  const save = async () => {
    setBusy(true);
    setFailure(null);
    setSaved(null);
    const result = await call('diagnostics:files', { ...request, passphrase });
    setBusy(false);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    for (const file of result.value.contents ?? []) downloadBase64(file.name, file.contentBase64);
    setSaved(result.value);
  };

  return (
    <Stack gap={6}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (passphrase) void save();
        }}
      >
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <PasswordInput
            label="Key passphrase"
            description="At least 12 characters: the client's private key is saved encrypted under it. Set CLIENT_KEY_PASSPHRASE to it when you run the commands."
            {...form.getInputProps('passphrase')}
            error={failure?.field === 'passphrase' ? failure.message : undefined}
            disabled={busy}
            autoComplete="new-password"
            style={{ flex: 1 }}
            data-testid="diagnostics-files-passphrase"
          />
          <Button
            type="submit"
            variant="light"
            leftSection={<IconFolderDown size={18} />}
            loading={busy}
            disabled={!passphrase}
            data-testid="diagnostics-files-save"
          >
            {mode === 'electron' ? 'Save to a folder…' : 'Download files'}
          </Button>
        </Group>
      </form>
      {failure && failure.field !== 'passphrase' && (
        <ErrorAlert title="The files were not saved" code={failure.code} data-testid="diagnostics-files-error">
          {failure.message}
        </ErrorAlert>
      )}
      {saved && (
        <Alert color="teal" variant="light" data-testid="diagnostics-files-saved">
          {saved.dir
            ? `${saved.files.length} files written to ${saved.dir}.`
            : `${saved.files.length} files saved to your browser's downloads; put them in one folder, readable by you only.`}{' '}
          Run the commands from there, with CLIENT_KEY_PASSPHRASE set.
        </Alert>
      )}
    </Stack>
  );
}
