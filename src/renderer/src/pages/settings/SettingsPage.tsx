import { Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { DetailField } from '../../components/DetailField.tsx';
import { useAppInfo } from '../../state/app-data.tsx';
import { useRoleAbilities } from '../../state/role.ts';
import { KeyProtectionSection } from './KeyProtectionSection.tsx';
import { TemplatesSection } from './TemplatesSection.tsx';
import { WebhookSection } from './WebhookSection.tsx';

const MODE_TEXT = { electron: 'Desktop app (Electron)', web: 'Web (npm run web, this machine only)', cli: 'Command line' } as const;

export function SettingsPage() {
  const info = useAppInfo();
  const { network } = useRoleAbilities();
  return (
    <Stack gap="lg" maw={880}>
      <div>
        <Title order={2}>Settings</Title>
        <Text c="dimmed" size="sm">
          Where certdesk keeps its data and how the private keys are protected.
        </Text>
      </div>

      <Paper withBorder radius="lg" p="lg" data-testid="settings-store">
        <Stack gap="md">
          <Title order={3} size="h4">
            Store
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <DetailField label="Version" value={info.version} mono={false} />
            <DetailField label="Mode" value={MODE_TEXT[info.mode]} mono={false} />
            <DetailField label="Schema version" value={String(info.schemaVersion)} mono={false} />
          </SimpleGrid>
          <DetailField label="Data folder" value={info.dataDir} copyable testId="settings-data-dir" />
          <DetailField label="Database file" value={info.databaseFile} copyable testId="settings-database-file" />
          <Text size="xs" c="dimmed">
            The desktop app, the web mode and the certdesk command line share this database. A backup of it carries the private keys sealed;
            with keychain protection, also back up the keychain item named below.
          </Text>
        </Stack>
      </Paper>

      <KeyProtectionSection />
      {network && <WebhookSection />}
      <TemplatesSection />
    </Stack>
  );
}
