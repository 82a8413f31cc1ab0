import { Badge, Group, Table, Text } from '@mantine/core';
import type { ExtensionView } from '../../../../shared/contract/index.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';

/** The decoded extensions, as `openssl x509 -text` would list them, each value copyable. */
export function ExtensionsTable({ extensions }: { extensions: ExtensionView[] }) {
  if (extensions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No extensions: this is not an X.509 v3 certificate.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing="xs" data-testid="cert-extensions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Extension</Table.Th>
            <Table.Th w={110}>Critical</Table.Th>
            <Table.Th>Value</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {extensions.map((extension) => (
            <Table.Tr key={extension.oid} data-testid="cert-extension" data-oid={extension.oid}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {extension.name}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {extension.oid}
                </Text>
              </Table.Td>
              <Table.Td>
                {extension.critical ? (
                  <Badge size="sm" color="orange" variant="light">
                    critical
                  </Badge>
                ) : (
                  <Text size="sm" c="dimmed">
                    no
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap" align="flex-start" justify="space-between">
                  <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                    {extension.value}
                  </Text>
                  <CopyValueButton value={extension.value} label={`${extension.name} value`} />
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
