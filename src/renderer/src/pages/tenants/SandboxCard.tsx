import { Badge, Button, Code, Group, Loader, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFlask, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { useState } from 'react';
import type { Failure, SandboxStatus } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useQueryClient } from '@tanstack/react-query';
import { channelKey } from '../../state/query-client.ts';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery } from '../../state/use-channel-query.ts';

interface Props {
  /** The sandbox started (and, the first time, became a tenant profile): the caller refreshes its tenants. */
  onStarted?: (status: SandboxStatus) => void;
  onStopped?: (status: SandboxStatus) => void;
}

type State = 'stopped' | 'this-app' | 'other-process';

function stateOf(status: SandboxStatus): State {
  if (!status.running) return 'stopped';
  return status.owner === 'other-process' ? 'other-process' : 'this-app';
}

const STATE_BADGE: Record<State, { color: string; label: string }> = {
  stopped: { color: 'gray', label: 'Stopped' },
  'this-app': { color: 'teal', label: 'Running in certdesk' },
  'other-process': { color: 'blue', label: 'Running in another process' },
};

/**
 * The local Auth0 emulator, started and stopped from here. Starting it the first time adds a
 * development tenant profile named "Sandbox", with a demo application and API to bind to.
 */
export function SandboxCard({ onStarted, onStopped }: Props) {
  const call = useCall();
  // A failed re-read keeps the status shown; the error appears with it.
  const { data, failure: readFailure, reload } = useChannelQuery('sandbox:status', {});
  const status = data ?? null;
  const client = useQueryClient();
  const setStatus = (value: SandboxStatus) => client.setQueryData(channelKey('sandbox:status', {}), value);
  const [failure, setFailure] = useState<{ action: 'start' | 'stop'; error: Failure } | null>(null);
  const [busy, setBusy] = useState<'start' | 'stop' | null>(null);

  const start = async () => {
    setFailure(null);
    setBusy('start');
    const result = await call('sandbox:start', {});
    setBusy(null);
    if (!result.ok) {
      setFailure({ action: 'start', error: result.error });
      // Another process may have started one meanwhile: show what runs now.
      void reload();
      return;
    }
    setStatus(result.value);
    const tenant = result.value.tenantName;
    notifications.show({
      color: 'teal',
      title: 'Sandbox started',
      message: tenant
        ? `The development tenant “${tenant}” points at it: bind certificates to its applications on the Bindings page.`
        : `The Auth0 emulator runs on ${result.value.url ?? '127.0.0.1'}.`,
    });
    onStarted?.(result.value);
  };

  const stop = async () => {
    setFailure(null);
    setBusy('stop');
    const result = await call('sandbox:stop', {});
    setBusy(null);
    if (!result.ok) {
      setFailure({ action: 'stop', error: result.error });
      void reload();
      return;
    }
    setStatus(result.value);
    notifications.show({
      color: 'gray',
      title: 'Sandbox stopped',
      message: 'Its state is kept: starting it again brings back the same applications and credentials.',
    });
    onStopped?.(result.value);
  };

  const state = status ? stateOf(status) : null;

  return (
    <Paper withBorder radius="lg" p="lg" data-testid="sandbox-card" data-state={state ?? undefined} aria-busy={busy !== null}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="sm">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon size={36} radius="md" variant="light" color="grape" aria-hidden>
              <IconFlask size={20} />
            </ThemeIcon>
            <div>
              <Title order={3} size="h4">
                Local sandbox tenant
              </Title>
              <Text size="sm" c="dimmed">
                An Auth0 emulator on 127.0.0.1 to rehearse binding and applying without a real tenant.
              </Text>
            </div>
          </Group>
          <Group gap="xs">
            {status === null && !readFailure && <Loader size="xs" aria-label="Reading the sandbox status" />}
            {state && (
              <Badge
                color={STATE_BADGE[state].color}
                variant="light"
                size="lg"
                tt="none"
                data-testid="sandbox-status"
                data-running={String(status?.running ?? false)}
                data-owner={status?.owner ?? 'none'}
              >
                {STATE_BADGE[state].label}
              </Badge>
            )}
            {state === 'stopped' && (
              <Button
                leftSection={<IconPlayerPlay size={18} />}
                onClick={() => void start()}
                loading={busy === 'start'}
                data-testid="sandbox-start"
              >
                Start sandbox
              </Button>
            )}
            {state === 'this-app' && (
              <Button
                variant="default"
                leftSection={<IconPlayerStop size={18} />}
                onClick={() => void stop()}
                loading={busy === 'stop'}
                data-testid="sandbox-stop"
              >
                Stop sandbox
              </Button>
            )}
          </Group>
        </Group>

        {readFailure && (
          <ErrorAlert
            title="The sandbox status could not be read"
            data-testid="sandbox-read-error"
            onRetry={() => void reload()}
            code={readFailure.code}
          >
            {readFailure.message}
          </ErrorAlert>
        )}
        {failure && (
          <ErrorAlert
            title={failure.action === 'stop' ? 'The sandbox did not stop' : 'The sandbox did not start'}
            data-testid="sandbox-error"
            withCloseButton
            onClose={() => setFailure(null)}
            code={failure.error.code}
          >
            {failure.error.message}
          </ErrorAlert>
        )}

        {status && state === 'stopped' && (
          <Text size="sm" c="dimmed" data-testid="sandbox-help">
            Starting it the first time adds a development tenant named “Sandbox” with a demo application (“Demo mTLS client”), an API and a
            verified custom domain, and points the tenant’s flight check at the sandbox’s own mTLS edge: bind, apply, diagnose and rotate
            with nothing else to set up. Its state lives in <Code>{status.dir}</Code> and survives a restart.
          </Text>
        )}

        {status && state === 'other-process' && (
          <Text size="sm" data-testid="sandbox-other-process">
            It was started by another process{status.pid !== null ? ` (pid ${status.pid})` : ''}, e.g. <Code>certdesk sandbox start</Code>.
            certdesk sends the sandbox tenant’s requests to it, but only that process can stop it: press Ctrl+C there, or run{' '}
            <Code>certdesk sandbox stop</Code>.
          </Text>
        )}

        {status?.running && (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" verticalSpacing="sm">
            <DetailField label="Tenant profile" value={status.tenantName ?? 'none yet'} mono={false} testId="sandbox-tenant" />
            <DetailField label="Tenant domain" value={status.domain ?? '—'} copyable={status.domain !== null} testId="sandbox-domain" />
            <DetailField label="Emulator URL" value={status.url ?? '—'} copyable={status.url !== null} testId="sandbox-url" />
            {status.edgeUrl && <DetailField label="mTLS edge" value={status.edgeUrl} copyable testId="sandbox-edge-url" />}
            <DetailField label="State folder" value={status.dir} copyable testId="sandbox-dir" />
          </SimpleGrid>
        )}
        {status?.running && (
          <Text size="sm" c="dimmed" data-testid="sandbox-edge-note">
            {status.edgeUrl
              ? state === 'this-app'
                ? 'The edge trusts certdesk’s CAs and follows their CRLs: a certificate revoked here is refused there at once.'
                : 'The edge trusts the CAs and CRLs certdesk held when that process started it; restart it there to pick up newer ones.'
              : 'No mTLS edge: certdesk held no CA when the sandbox started. Create a root and an issuing CA (Authorities), then stop and start the sandbox.'}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
