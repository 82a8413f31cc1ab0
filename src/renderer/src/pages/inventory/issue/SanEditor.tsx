import { ActionIcon, Button, Group, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { SAN_TYPES, type SanType } from '../../../../../shared/contract/index.ts';
import type { SanRow } from './issue-form.ts';

// Records over SanType: a type added to the contract fails the build here until it has a label.
const TYPE_LABEL: Record<SanType, string> = { dns: 'DNS', uri: 'URI', email: 'Email' };
const PLACEHOLDER: Record<SanType, string> = { dns: 'client.example.com', uri: 'spiffe://example.com/client', email: 'ops@example.com' };
const TYPE_OPTIONS = SAN_TYPES.map((type) => ({ value: type, label: TYPE_LABEL[type] }));

interface Props {
  rows: SanRow[];
  /** Errors by row index, for the value of that row. */
  errorAt: (index: number) => string | undefined;
  /** An error about the list as a whole (too many, duplicates). */
  listError?: string;
  disabled: boolean;
  onAdd: () => void;
  onRemove: (index: number) => void;
  onChange: (index: number, patch: Partial<Pick<SanRow, 'type' | 'value'>>) => void;
}

export function SanEditor({ rows, errorAt, listError, disabled, onAdd, onRemove, onChange }: Props) {
  return (
    <Stack gap="xs" role="group" aria-label="Subject alternative names">
      <Group justify="space-between">
        <div>
          <Text size="sm" fw={500}>
            Subject alternative names
          </Text>
          <Text size="xs" c="dimmed">
            Optional. Names the certificate is also valid for; {'{cn}'} in a name is replaced by the common name.
          </Text>
        </div>
        <Button
          variant="light"
          size="xs"
          leftSection={<IconPlus size={14} />}
          onClick={onAdd}
          disabled={disabled}
          data-testid="issue-san-add"
        >
          Add name
        </Button>
      </Group>
      {rows.length === 0 && (
        <Text size="xs" c="dimmed">
          None yet.
        </Text>
      )}
      {rows.map((row, index) => (
        <Group key={row.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="issue-san-row">
          <Select
            aria-label={`Type of name ${index + 1}`}
            data={TYPE_OPTIONS}
            value={row.type}
            onChange={(type) => type && onChange(index, { type: type as SanType })}
            allowDeselect={false}
            disabled={disabled}
            w={100}
            data-testid="issue-san-type"
          />
          <TextInput
            aria-label={`Name ${index + 1}`}
            placeholder={PLACEHOLDER[row.type]}
            value={row.value}
            onChange={(event) => onChange(index, { value: event.currentTarget.value })}
            error={errorAt(index)}
            spellCheck={false}
            autoComplete="off"
            disabled={disabled}
            style={{ flex: 1 }}
            data-testid="issue-san-value"
          />
          <Tooltip label="Remove this name">
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              aria-label={`Remove name ${index + 1}`}
              onClick={() => onRemove(index)}
              disabled={disabled}
              data-testid="issue-san-remove"
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ))}
      {listError && (
        <Text size="sm" c="red" role="alert" data-testid="issue-san-error">
          {listError}
        </Text>
      )}
    </Stack>
  );
}
