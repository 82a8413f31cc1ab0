import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { IconFolderDown } from '@tabler/icons-react';
import { useState } from 'react';
import type { DiagnoseInput, Failure } from '../../../../shared/contract.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';

/**
 * Writes the files the stages' commands name into a folder the operator gives. They include the
 * client's private key, so main writes them (mode 0600 for the key) and they never pass through here.
 */
export function SaveFilesForm({ request }: { request: DiagnoseInput }) {
  const call = useCall();
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [saved, setSaved] = useState<{ dir: string; files: string[] } | null>(null);

  const save = async () => {
    setBusy(true);
    setFailure(null);
    setSaved(null);
    const result = await call('diagnostics:files', { ...request, dir: dir.trim() });
    setBusy(false);
    if (result.ok) setSaved(result.value);
    else setFailure(result.error);
  };

  return (
    <Stack gap={6}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (dir.trim()) void save();
        }}
      >
        <Group align="flex-end" gap="xs" wrap="nowrap">
          <TextInput
            label="Save these files to a folder"
            description="An empty folder; the client's private key is written there (readable by you only)."
            placeholder="/home/you/certdesk-flight-check"
            value={dir}
            onChange={(event) => setDir(event.currentTarget.value)}
            error={failure?.field === 'dir' ? failure.message : undefined}
            disabled={busy}
            style={{ flex: 1 }}
            data-testid="diagnostics-files-dir"
          />
          <Button type="submit" variant="light" leftSection={<IconFolderDown size={18} />} loading={busy} disabled={!dir.trim()} data-testid="diagnostics-files-save">
            Save files
          </Button>
        </Group>
      </form>
      {failure && failure.field !== 'dir' && <ErrorAlert title="The files were not written">{failure.message}</ErrorAlert>}
      {saved && (
        <Alert color="teal" variant="light" data-testid="diagnostics-files-saved">
          {saved.files.length} files written to {saved.dir}. Run the commands from there.
        </Alert>
      )}
    </Stack>
  );
}
