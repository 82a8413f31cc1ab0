import { Badge, Button, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconLinkOff } from '@tabler/icons-react';
import type { BindingView } from '../../../../shared/contract/index.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { EXPIRY_COLOR, describeLeafExpiry, formatDate, formatDateTime } from '../../format/validity.ts';
import { BINDING_STATE, CREDENTIAL_TYPE_LABEL } from './binding-labels.ts';

interface Props {
  bindings: BindingView[];
  /** Application names by client id, where the tenant has been read. */
  clientNames: ReadonlyMap<string, string>;
  /** Unbinding is refused while an apply runs. */
  disabled: boolean;
  onUnbind: (binding: BindingView) => void;
}

export function BindingsTable({ bindings, clientNames, disabled, onUnbind }: Props) {
  return (
    <Table.ScrollContainer minWidth={940}>
      <Table striped verticalSpacing="sm" data-testid="bindings-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={200}>Certificate and expiry</Table.Th>
            <Table.Th miw={160}>Application</Table.Th>
            <Table.Th miw={170}>Auth0 credential</Table.Th>
            <Table.Th>Options</Table.Th>
            <Table.Th miw={96}>State</Table.Th>
            <Table.Th>Applied</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {bindings.map((binding) => (
            <BindingRow
              key={binding.id}
              binding={binding}
              clientName={clientNames.get(binding.clientId) ?? null}
              disabled={disabled}
              onUnbind={onUnbind}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface RowProps {
  binding: BindingView;
  clientName: string | null;
  disabled: boolean;
  onUnbind: (binding: BindingView) => void;
}

function BindingRow({ binding, clientName, disabled, onUnbind }: RowProps) {
  const expiry = describeLeafExpiry(binding.notAfter, binding.renewAt);
  const state = BINDING_STATE[binding.state];
  return (
    <Table.Tr
      data-testid="binding-row"
      data-binding-id={binding.id}
      data-state={binding.state}
      data-client-id={binding.clientId}
      data-credential-id={binding.credentialId ?? ''}
      style={binding.state === 'removed' ? { opacity: 0.6 } : undefined}
    >
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm" ff="monospace" style={{ wordBreak: 'break-word' }} data-testid="binding-subject">
            {binding.subject}
          </Text>
          <Text size="xs" data-testid="binding-expiry">
            until {formatDate(binding.notAfter)}{' '}
            <Text span inherit c={EXPIRY_COLOR[expiry.tone]} data-tone={expiry.tone}>
              ({expiry.text})
            </Text>
          </Text>
          {binding.certificateStatus !== 'active' && (
            <Badge
              size="sm"
              color={binding.certificateStatus === 'revoked' || binding.certificateStatus === 'expired' ? 'red' : 'gray'}
              variant="light"
              w="fit-content"
            >
              certificate {binding.certificateStatus}
            </Badge>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          {clientName && (
            <Text size="sm" fw={500}>
              {clientName}
            </Text>
          )}
          <Group gap={4} wrap="nowrap">
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="binding-client-id">
              {binding.clientId}
            </Text>
            <CopyValueButton value={binding.clientId} label="client ID" />
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Tooltip label={CREDENTIAL_TYPE_LABEL[binding.credentialType]} multiline maw={280}>
            <Text size="xs" c="dimmed" ff="monospace" w="fit-content">
              {binding.credentialType}
            </Text>
          </Tooltip>
          {binding.credentialId ? (
            <Group gap={4} wrap="nowrap">
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="binding-credential-id">
                {binding.credentialId}
              </Text>
              <CopyValueButton value={binding.credentialId} label="credential ID" />
            </Group>
          ) : (
            <Text size="sm" c="dimmed" fs="italic" data-testid="binding-credential-id">
              not created yet
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Group gap={4}>
          {binding.requirePop && (
            <Badge size="sm" variant="light" color="indigo" tt="none" data-testid="binding-pop">
              PoP
            </Badge>
          )}
          {binding.api && (
            <Tooltip label={`Proof of possession required on the API ${binding.api}`} multiline maw={320}>
              <Badge size="sm" variant="light" color="violet" tt="none" maw={220} data-testid="binding-api">
                API {binding.api}
              </Badge>
            </Tooltip>
          )}
          {binding.endpointAliases && (
            <Badge size="sm" variant="light" color="cyan" tt="none" data-testid="binding-aliases">
              mTLS aliases
            </Badge>
          )}
          {!binding.requirePop && !binding.api && !binding.endpointAliases && (
            <Text size="sm" c="dimmed">
              —
            </Text>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Tooltip label={state.help} multiline maw={260}>
          <Badge color={state.color} variant="light" style={{ overflow: 'visible' }} data-testid="binding-state" data-state={binding.state}>
            {state.label}
          </Badge>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        {binding.appliedAt ? (
          <Tooltip label={formatDateTime(binding.appliedAt)}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }} w="fit-content" data-testid="binding-applied-at">
              {formatDate(binding.appliedAt)}
            </Text>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed" data-testid="binding-applied-at">
            not yet
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {binding.state === 'active' && (
          <Button
            variant="subtle"
            color="red"
            size="compact-sm"
            leftSection={<IconLinkOff size={16} />}
            onClick={() => onUnbind(binding)}
            disabled={disabled}
            aria-label={`Unbind ${binding.subject} from ${binding.clientId}`}
            style={{ whiteSpace: 'nowrap' }}
            data-testid="binding-unbind"
          >
            Unbind…
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
