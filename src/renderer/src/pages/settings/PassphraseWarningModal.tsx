import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

interface Props {
  opened: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}

export function PassphraseWarningModal({ opened, onCancel, onConfirm }: Props) {
  return (
    <Modal
      opened={opened}
      onClose={onCancel}
      title={<Text fw={600}>Protect the keys with a passphrase?</Text>}
      attributes={{ content: { 'data-testid': 'vault-passphrase-warning' } }}
    >
      <Stack>
        <Alert color="orange" variant="light" icon={<IconAlertTriangle />}>
          If the passphrase is forgotten, every private key in this store is lost: no CA in it can sign again, and nobody, including
          certdesk, can recover them.
        </Alert>
        <Text size="sm">Write it down somewhere safe before you continue. The protection cannot be changed later.</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} data-autofocus>
            Go back
          </Button>
          <Button color="orange" onClick={onConfirm} data-testid="vault-passphrase-warning-confirm">
            I have saved it, continue
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
