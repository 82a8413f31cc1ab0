import { Button, Group, Modal, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import type { Failure, TemplateView } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../state/use-channel-query.ts';

/** The saved certificate templates: rename, or delete after a confirmation (issue 13). Saved from the issue form. */
export function TemplatesSection() {
  const { data: templates, failure } = useChannelQuery('templates:list', {});
  const [renaming, setRenaming] = useState<TemplateView | null>(null);
  const [deleting, setDeleting] = useState<TemplateView | null>(null);
  return (
    <Paper withBorder radius="lg" p="lg" data-testid="settings-templates">
      <Stack gap="md">
        <Title order={3} size="h4">
          Certificate templates
        </Title>
        <Text size="sm" c="dimmed">
          Saved from the issue form (Inventory → Issue → Save as template), or with certdesk template save.
        </Text>
        {failure && <ErrorAlert code={failure.code}>{failure.message}</ErrorAlert>}
        {templates && templates.length === 0 && <Text size="sm">No template is saved yet.</Text>}
        {templates && templates.length > 0 && (
          <Table layout="fixed" aria-label="Certificate templates">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Profile, CA</Table.Th>
                <Table.Th>Names</Table.Th>
                <Table.Th w={70}>Days</Table.Th>
                <Table.Th w={170}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {templates.map((template) => (
                <Table.Tr key={template.name} data-testid="template-row" data-template-name={template.name}>
                  <Table.Td>
                    <Text size="sm" fw={600} truncate="end" title={template.name}>
                      {template.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" truncate="end" title={template.profile}>
                      {template.profile}
                    </Text>
                    <Text size="xs" c="dimmed" truncate="end">
                      {template.caName ?? 'CA chosen when issuing'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                      {template.sans.map((san) => `${san.type}:${san.pattern}`).join(', ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>{template.days}</Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Button size="compact-sm" variant="default" onClick={() => setRenaming(template)} data-testid="template-rename">
                        Rename
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="light"
                        color="red"
                        onClick={() => setDeleting(template)}
                        data-testid="template-delete"
                      >
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      {renaming && <RenameModal template={renaming} onClose={() => setRenaming(null)} />}
      {deleting && <DeleteModal template={deleting} onClose={() => setDeleting(null)} />}
    </Paper>
  );
}

function RenameModal({ template, onClose }: { template: TemplateView; onClose: () => void }) {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const [to, setTo] = useState(template.name);
  const [error, setError] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const result = await call('templates:rename', { name: template.name, to });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    await invalidate('templates:list');
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={`Rename "${template.name}"`} data-testid="template-rename-dialog">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput
            label="New name"
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
            error={error?.message}
            disabled={busy}
            data-autofocus
            data-testid="template-rename-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} data-testid="template-rename-submit">
              Rename
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeleteModal({ template, onClose }: { template: TemplateView; onClose: () => void }) {
  const call = useCall();
  const invalidate = useInvalidateChannel();
  const [error, setError] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    const result = await call('templates:delete', { name: template.name });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    await invalidate('templates:list');
    onClose();
  };
  return (
    <Modal opened onClose={onClose} title={`Delete the template "${template.name}"?`} data-testid="template-delete-dialog">
      <Stack gap="sm">
        <Text size="sm">Certificates issued from it are not touched. The template cannot be brought back, only saved again.</Text>
        {error && <ErrorAlert code={error.code}>{error.message}</ErrorAlert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy} data-autofocus>
            Keep it
          </Button>
          <Button color="red" onClick={() => void remove()} loading={busy} data-testid="template-delete-confirm">
            Delete template
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
