import { Alert, Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconFolderDown } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import type { DiagnoseInput, Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';

/**
 * Writes the files the stages' commands name into a folder the operator gives. They include the
 * client's private key, so main writes them (the key encrypted under the passphrase, mode 0600) and
 * the key never passes through here.
 */
export function SaveFilesForm({ request }: { request: DiagnoseInput }) {
  const call = useCall();
  // Main has the only word on these fields: its refusal (failure.field) is shown on the field it names.
  const form = useForm({ mode: 'controlled', initialValues: { dir: '', passphrase: '' } });
  const { dir, passphrase } = form.getValues();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState<{ dir: string; files: string[] } | null>(null);

  const save = async () => {
    setBusy(true);
    setFailure(null);
    setSaved(null);
    const result = await call('diagnostics:files', { ...request, dir: dir.trim(), passphrase });
    setBusy(false);
    if (result.ok) setSaved(result.value);
    else setFailure(result.error);
  };

  return (
    <Stack gap={6}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (dir.trim() && passphrase) void save();
        }}
      >
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label="Save these files to a folder"
            description="An empty folder. The client's private key is written there encrypted, readable by you only."
            placeholder="/home/you/certdesk-flight-check"
            {...form.getInputProps('dir')}
            error={failure?.field === 'dir' ? failure.message : undefined}
            disabled={busy}
            style={{ flex: 1 }}
            data-testid="diagnostics-files-dir"
          />
          <PasswordInput
            label="Key passphrase"
            description="At least 12 characters; set CLIENT_KEY_PASSPHRASE to it when you run the commands."
            {...form.getInputProps('passphrase')}
            error={failure?.field === 'passphrase' ? failure.message : undefined}
            disabled={busy}
            autoComplete="new-password"
            w={260}
            data-testid="diagnostics-files-passphrase"
          />
          <Button
            type="submit"
            variant="light"
            leftSection={<IconFolderDown size={18} />}
            loading={busy}
            disabled={!dir.trim() || !passphrase}
            data-testid="diagnostics-files-save"
          >
            Save files
          </Button>
        </Group>
      </form>
      {failure && failure.field !== 'dir' && failure.field !== 'passphrase' && (
        <ErrorAlert title="The files were not written" code={failure.code}>
          {failure.message}
        </ErrorAlert>
      )}
      {saved && (
        <Alert color="teal" variant="light" data-testid="diagnostics-files-saved">
          {saved.files.length} files written to {saved.dir}. Run the commands from there, with CLIENT_KEY_PASSPHRASE set.
        </Alert>
      )}
    </Stack>
  );
}
