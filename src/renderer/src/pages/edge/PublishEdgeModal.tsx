import { Alert, Button, Code, Group, List, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconTerminal2 } from '@tabler/icons-react';
import {
  displayArgv,
  presetArgv,
  type EdgePublishInput,
  type EdgeReload,
  type EdgeReloadConfig,
  type Failure,
} from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { useChannelQuery } from '../../state/use-channel-query.ts';
import { customReloadNote } from './EdgeReloadField.tsx';

const FILES = ['certdesk-edge.conf', 'ca-bundle.pem', 'crl.pem', 'README.md'];

interface Props {
  opened: boolean;
  /** What will be sent; kept while the dialog closes so it does not empty itself. */
  input: EdgePublishInput | null;
  /** The configured edge folder; null when none is set (the desktop app asks for one on publishing). */
  folder: string | null;
  caName: string;
  busy: boolean;
  /** A failure not tied to a form field: shown here, the operator may retry or cancel. */
  failure: Failure | null;
  onConfirm: () => void;
  onClose: () => void;
  /** Cancel takes the focus first (the palette's republish: Enter alone must not overwrite the edge's files). */
  cancelFirst?: boolean;
}

/** The exact argv steps a choice runs, as main will run them. */
function reloadLine(reload: EdgeReload, config: EdgeReloadConfig | undefined): string {
  const steps = presetArgv(reload);
  if (steps) return displayArgv(steps);
  return customReloadNote(config);
}

/** Publishing replaces files the edge reads and may run a command: both are spelled out before it happens. */
export function PublishEdgeModal({ opened, input, folder, caName, busy, failure, onConfirm, onClose, cancelFirst = false }: Props) {
  const { data: config } = useChannelQuery('edge:reload-show', {});
  return (
    <GuardedModal opened={opened} busy={busy} onClose={onClose} size="lg" title="Publish the edge bundle?" testId="edge-publish-dialog">
      {input && (
        <Stack>
          <Text size="sm">
            certdesk signs a new CRL for each CA whose latest one is out of date, then writes the bundle for{' '}
            <b>{input.settings.serverName}</b>, trusting <b>{caName}</b> and{' '}
            {Array.isArray(input.ca) && input.ca.length > 1 ? 'their roots' : 'its root'}.
          </Text>
          <DetailField
            label="Target folder (on this machine)"
            value={folder ?? 'Not set: the operator sets it (certdesk edge folder set DIR, or a folder dialog in the desktop app)'}
            copyable={folder !== null}
            testId="edge-publish-dir"
          >
            <Text size="xs" c="dimmed">
              The configured edge folder. Created if missing. These files in it are replaced: {FILES.join(', ')}.
            </Text>
          </DetailField>
          {input.reload && input.reload.preset !== 'none' ? (
            <Alert color="orange" variant="light" icon={<IconTerminal2 />} title="Then runs this command" data-testid="edge-publish-reload">
              <Stack gap={6}>
                <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                  {reloadLine(input.reload, config)}
                </Code>
                <Text size="xs">
                  Without a shell, on this machine, as the user certdesk runs as; each step only if the one before succeeded. Its argv, exit
                  status, duration and output are recorded in the history.
                </Text>
              </Stack>
            </Alert>
          ) : (
            <Text size="sm" c="dimmed" data-testid="edge-publish-reload">
              No reload command: reload nginx yourself once the files are on the edge (<Code>nginx -t &amp;&amp; nginx -s reload</Code>).
            </Text>
          )}
          <List size="sm" spacing={4} icon={<IconAlertTriangle size={14} color="var(--mantine-color-orange-6)" />}>
            <List.Item>An edge that loads a broken bundle refuses every client; check the preview first.</List.Item>
            <List.Item>The cname-api-key is not in the bundle: it stays in {input.settings.cnameApiKeyInclude} on the edge.</List.Item>
          </List>
          {failure && (
            <ErrorAlert title="Nothing was published" data-testid="edge-publish-error" code={failure.code}>
              {failure.message}
            </ErrorAlert>
          )}
          <Group justify="flex-end">
            <Button
              variant="default"
              onClick={onClose}
              disabled={busy}
              data-autofocus={cancelFirst || undefined}
              data-testid="edge-publish-cancel"
            >
              Cancel
            </Button>
            <Button onClick={onConfirm} loading={busy} data-autofocus={!cancelFirst || undefined} data-testid="edge-publish-confirm">
              {failure ? 'Try again' : 'Publish'}
            </Button>
          </Group>
        </Stack>
      )}
    </GuardedModal>
  );
}
