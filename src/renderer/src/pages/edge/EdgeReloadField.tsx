import { Alert, Button, Code, Group, NativeSelect, Stack, Text, TextInput, Textarea } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { IconShieldCheck } from '@tabler/icons-react';
import { useState } from 'react';
import {
  RELOAD_PRESETS,
  RELOAD_PRESET_LABELS,
  displayArgv,
  type EdgeReloadConfig,
  type Failure,
} from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../state/use-channel-query.ts';
import { TEST_IDS, type EdgeFormValues } from './edge-form.ts';

interface Props {
  form: UseFormReturnType<EdgeFormValues>;
  disabled: boolean;
}

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/** The custom argv's state in one sentence: approved, or why it will not run. */
export function customReloadNote(config: EdgeReloadConfig | undefined): string {
  const custom = config?.custom;
  if (!custom) return 'No custom command is set. The operator sets one on this machine: certdesk edge reload set -- ARGV…';
  if (custom.approved) return `${displayArgv([custom.argv])} (approved by ${custom.approvedBy ?? 'the operator'})`;
  if (custom.legacyCommand !== null)
    return `Not approved: converted from the shell command of an older certdesk (${custom.legacyCommand}). It will not run until an argv is approved again.`;
  return `Not approved: ${custom.reason ?? 'its stored argv is not the one approved.'} Approve it again before it can run.`;
}

/**
 * What runs after publishing: a preset, never a command line. A custom argv is approved in main
 * (the CLI, or the desktop app's native dialog, which shows the exact argv); the web host cannot set one.
 */
export function EdgeReloadField({ form, disabled }: Props) {
  const { data: config } = useChannelQuery('edge:reload-show', {});
  const preset = form.values.reloadPreset;
  const input = (field: 'reloadPreset' | 'reloadContainer') => ({ ...form.getInputProps(field), disabled, 'data-testid': TEST_IDS[field] });
  return (
    <Stack gap="xs" mt="md">
      <NativeSelect
        label="Reload after publishing"
        description="Run on this machine without a shell; its argv, exit status, duration and output are recorded."
        data={RELOAD_PRESETS.map((value) => ({ value, label: RELOAD_PRESET_LABELS[value] }))}
        maw={520}
        {...input('reloadPreset')}
      />
      {preset === 'docker' && (
        <TextInput
          label="Container"
          placeholder="edge-nginx"
          spellCheck={false}
          autoComplete="off"
          styles={mono}
          maw={520}
          {...input('reloadContainer')}
        />
      )}
      {preset === 'custom' && (
        <Text size="xs" c={config?.custom?.approved ? 'dimmed' : 'orange'} data-testid="edge-reload-custom-note">
          {customReloadNote(config)}
        </Text>
      )}
      {preset === 'custom' && config?.canApprove && <CustomArgvEditor disabled={disabled} />}
    </Stack>
  );
}

/** Desktop app only: one argument per line, approved in a native dialog that main shows with the exact argv. */
function CustomArgvEditor({ disabled }: { disabled: boolean }) {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const argv = text.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1);
  const approve = async () => {
    setBusy(true);
    setFailure(null);
    const result = await call('edge:reload-set', { argv });
    setBusy(false);
    if (result.ok) {
      setText('');
      void invalidate('edge:reload-show');
    } else setFailure(result.error);
  };
  return (
    <Alert variant="light" color="gray" icon={<IconShieldCheck />} title="Set a custom argv">
      <Stack gap="xs">
        <Textarea
          description="One argument per line, the program first. Nothing is split or interpreted by a shell."
          autosize
          minRows={2}
          styles={mono}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          disabled={disabled || busy}
          data-testid="edge-reload-argv"
        />
        {argv.length > 0 && <Code block>{JSON.stringify(argv)}</Code>}
        {failure && (
          <ErrorAlert title="Not approved" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}
        <Group justify="flex-end">
          <Button size="xs" onClick={() => void approve()} loading={busy} disabled={disabled || argv.length === 0}>
            Approve in a dialog…
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
