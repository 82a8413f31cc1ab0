import { Alert, Button, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconFolder, IconShieldCheck, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import type { EdgeConfigView, Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useInvalidateChannel } from '../../state/use-channel-query.ts';

const mono = { input: { fontFamily: 'var(--mantine-font-family-monospace)' } };

/**
 * Where the bundle goes: the operator's configured edge folder, never typed on this page. The
 * desktop app picks it in a native folder dialog; web mode says which command sets it.
 */
export function EdgeFolderField({ config, disabled }: { config: EdgeConfigView | undefined; disabled: boolean }) {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const [failure, setFailure] = useState<Failure | null>(null);
  const folder = config?.approved ? config.folder : null;
  const choose = async () => {
    setFailure(null);
    const result = await call('edge:folder-set', {});
    if (result.ok) void invalidate('edge:config-show');
    else setFailure(result.error);
  };
  return (
    <Stack gap={6}>
      <TextInput
        label="Publish to folder"
        description="The edge folder on this machine, set by the operator. Sync it to the edge's bundle folder, or use that folder if this machine is the edge."
        placeholder="Not set"
        value={folder ?? ''}
        readOnly
        spellCheck={false}
        styles={mono}
        data-testid="edge-out-dir"
      />
      {config?.canChooseFolder && (
        <Group>
          <Button
            size="xs"
            variant="default"
            leftSection={<IconFolder size={16} />}
            onClick={() => void choose()}
            disabled={disabled}
            data-testid="edge-folder-choose"
          >
            Choose folder…
          </Button>
        </Group>
      )}
      {config && !folder && !config.canChooseFolder && (
        <Alert color="orange" variant="light" icon={<IconFolder />} title="No edge folder yet" data-testid="edge-folder-missing">
          <Text size="sm">
            In web mode this page cannot choose a folder to write to. On this machine, run <Code>certdesk edge folder set DIR</Code>, then
            reload this page.
          </Text>
        </Alert>
      )}
      {config && !config.approved && (
        <ErrorAlert title="The edge configuration is not approved" data-testid="edge-config-problem" code="EDGE_SETTINGS_NOT_APPROVED">
          {config.problem}. Set the folder and approve the settings again on this machine (certdesk edge folder set DIR, certdesk edge
          settings set …).
        </ErrorAlert>
      )}
      {failure && (
        <ErrorAlert title="No folder was set" data-testid="edge-folder-error" code={failure.code}>
          {failure.message}
        </ErrorAlert>
      )}
    </Stack>
  );
}

interface ApprovalProps {
  config: EdgeConfigView | undefined;
  matches: boolean;
  command: string;
  onUseApproved: () => void;
}

/**
 * Whether the typed settings are the ones the operator approved: only those reach nginx from web
 * mode (and from rotations). The desktop app asks for approval in a native dialog when publishing.
 */
export function EdgeApprovalNotice({ config, matches, command, onUseApproved }: ApprovalProps) {
  if (!config) return null;
  if (matches)
    return (
      <Alert color="teal" variant="light" icon={<IconShieldCheck />} title="Approved settings" data-testid="edge-settings-approved">
        <Text size="sm">
          These are the settings approved by {config.settingsApprovedBy ?? 'the operator'}
          {config.settingsApprovedAt ? ` at ${config.settingsApprovedAt}` : ''}.
        </Text>
      </Alert>
    );
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconShieldLock />}
      title="Not the approved settings"
      data-testid="edge-settings-unapproved"
    >
      <Stack gap={6}>
        {config.canApprove ? (
          <Text size="sm">
            Publishing asks you to approve these settings in a dialog: they decide where the edge forwards client certificates.
          </Text>
        ) : (
          <>
            <Text size="sm">
              Web mode publishes only settings the operator approved, because they decide where the edge forwards client certificates and
              the cname-api-key. To approve these, run on this machine:
            </Text>
            <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="edge-approve-command">
              {command}
            </Code>
          </>
        )}
        {config.settings && (
          <Group>
            <Button size="xs" variant="default" onClick={onUseApproved} data-testid="edge-use-approved">
              Use the approved settings
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}
