import { Alert, Code, List, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';

/**
 * A publisher's rotation waiting at the offline signer: which request, and what the operator does
 * next to bring its answer across the gap. The job goes on by itself once the answer is approved.
 */
export function AtSignerNotice({ requestId }: { requestId: string }) {
  return (
    <Alert
      color="grape"
      variant="light"
      icon={<IconPlugConnectedX size={18} />}
      title="Waiting at the offline signer"
      data-testid="rotation-at-signer-next"
    >
      <Text size="sm">
        This publisher holds no CA key: the successor is request <Code data-testid="rotation-at-signer-request">{requestId}</Code>, for a
        new key made and sealed here, the kept key (same-key), or the workload&apos;s own (CSR mode). The signer answers it across the gap:
      </Text>
      <List type="ordered" size="sm" mt="xs" spacing={2}>
        <List.Item>
          Export a bundle: <Code>certdesk transfer export --out FILE</Code>
        </List.Item>
        <List.Item>Carry it to the signer; there, import it, approve the request and export the answer.</List.Item>
        <List.Item>
          Import the answer here and approve it: <Code>certdesk transfer import FILE</Code>, then{' '}
          <Code>certdesk transfer approve IMPORT --all</Code>. The rotation then goes on by itself.
        </List.Item>
      </List>
    </Alert>
  );
}
