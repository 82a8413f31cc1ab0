import { Badge, Divider, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { VaultStatus } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { useAppInfo } from '../../state/app-data.tsx';
import { ChangePassphraseForm } from './ChangePassphraseForm.tsx';
import { VaultLockControls } from './VaultLockControls.tsx';
import { VaultSetup } from './VaultSetup.tsx';
import { VaultUnlockForm } from './VaultUnlockForm.tsx';

const PROTECTION_TEXT = { keychain: 'OS keychain', passphrase: 'Passphrase' } as const;
const STATE_TEXT: Record<VaultStatus['state'], { label: string; color: string }> = {
  uninitialized: { label: 'Not set up', color: 'gray' },
  ready: { label: 'Ready', color: 'teal' },
  locked: { label: 'Locked', color: 'orange' },
};

export function KeyProtectionSection() {
  const { vault } = useAppInfo();
  const state = STATE_TEXT[vault.state];
  return (
    <Paper withBorder radius="lg" p="lg" data-testid="settings-key-protection" data-vault-state={vault.state}>
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={3} size="h4">
            Key protection
          </Title>
          <Badge color={state.color} variant="light">
            {state.label}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          Every private key is sealed (AES-256-GCM) under one data-encryption key. That key lives in the OS keychain, or is wrapped under a
          passphrase only you know.
        </Text>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <DetailField label="Protection" value={vault.protection ? PROTECTION_TEXT[vault.protection] : 'Not chosen yet'} mono={false} />
          <DetailField label="State" value={state.label} mono={false} />
        </SimpleGrid>
        <DetailField label="Details" value={vault.detail} mono={false} testId="settings-vault-detail" />

        {vault.state === 'uninitialized' && <VaultSetup />}
        {vault.state === 'locked' && <VaultUnlockForm />}
        {vault.protection === 'passphrase' && (
          <>
            <VaultLockControls vault={vault} />
            <Divider />
            <ChangePassphraseForm />
          </>
        )}
      </Stack>
    </Paper>
  );
}
