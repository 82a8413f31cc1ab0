import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { Failure, WebhookResult } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format/validity.ts';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../state/use-channel-query.ts';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';

function resultText(result: WebhookResult): string {
  const what = result.kind === 'test' ? 'Test' : `Warning (${result.items} item${result.items === 1 ? '' : 's'})`;
  return result.ok
    ? `${what} at ${formatDateTime(result.at)}: answered ${result.status} in ${result.ms} ms.`
    : `${what} at ${formatDateTime(result.at)} failed: ${result.error?.message ?? 'no answer'}`;
}

/** The optional expiry webhook (issue 13, docs/webhook.md). Hidden on an offline signer, which opens no connection. */
export function WebhookSection() {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const { data: view } = useChannelQuery('webhook:show', {});
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const focus = useFocusWhenIdle(ref, busy);
  const loaded = view?.url;
  // The saved address fills the field until the operator types: an answer that arrives after the first
  // keystrokes (a slow first read) must not wipe them. A successful save hands the field back to it.
  const typed = useRef(false);
  useEffect(() => {
    if (!typed.current) setUrl(loaded ?? '');
  }, [loaded]);

  const run = async (action: () => ReturnType<typeof call>) => {
    setBusy(true);
    setFailure(null);
    const result = await action();
    setBusy(false);
    if (result.ok) typed.current = false;
    if (!result.ok) {
      setFailure(result.error);
      if (result.error.field === 'url') focus('webhook-url');
    }
    await invalidate('webhook:show');
  };

  const last = view?.lastResult ?? null;
  return (
    <Paper withBorder radius="lg" p="lg" data-testid="settings-webhook" ref={ref}>
      <Stack gap="sm">
        <Title order={3} size="h4">
          Expiry webhook
        </Title>
        <Text size="sm" c="dimmed">
          Optional. While the app runs, certdesk POSTs JSON to this address for each certificate or CA that becomes due, overdue or expired,
          once per state. https://, or http:// only to this machine; no user name or password in the address.
        </Text>
        <TextInput
          label="Webhook URL"
          placeholder="https://hooks.example.com/certdesk"
          value={url}
          onChange={(event) => {
            typed.current = true;
            setUrl(event.currentTarget.value);
          }}
          error={failure?.field === 'url' && failure.code === 'WEBHOOK_URL_INVALID' ? failure.message : undefined}
          disabled={busy}
          data-testid="webhook-url"
        />
        <Group gap="xs">
          <Button onClick={() => void run(() => call('webhook:set', { url }))} loading={busy} data-testid="webhook-save">
            Save
          </Button>
          <Button
            variant="light"
            onClick={() => void run(() => call('webhook:test', {}))}
            disabled={busy || !view?.url}
            data-testid="webhook-test"
          >
            Send test
          </Button>
          {view?.url && (
            <Button
              variant="subtle"
              color="red"
              onClick={() => void run(() => call('webhook:set', { url: null }))}
              disabled={busy}
              data-testid="webhook-clear"
            >
              Turn off
            </Button>
          )}
        </Group>
        {failure && failure.code !== 'WEBHOOK_URL_INVALID' && (
          <ErrorAlert title="The webhook call failed" code={failure.code} data-testid="webhook-error">
            {failure.message}
          </ErrorAlert>
        )}
        {last && (
          <Text size="sm" c={last.ok ? 'green' : 'red'} data-testid="webhook-last" data-ok={last.ok} data-status={last.status ?? undefined}>
            Last result: {resultText(last)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
