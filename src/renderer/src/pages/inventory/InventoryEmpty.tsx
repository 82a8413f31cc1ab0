import { Button, Group, Kbd, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconFileImport, IconFilterOff, IconLicense, IconPlus } from '@tabler/icons-react';
import { shortcutLabel } from '../../components/shortcut.ts';

interface Props {
  /** Filters are hiding everything, as opposed to an empty inventory. */
  filtered: boolean;
  issueBlocked: string | null;
  onClearFilters: () => void;
  onIssue: () => void;
  onImport: () => void;
}

export function InventoryEmpty({ filtered, issueBlocked, onClearFilters, onIssue, onImport }: Props) {
  if (filtered) {
    return (
      <Paper withBorder radius="lg" p="xl" data-testid="cert-empty" data-reason="filtered">
        <Stack align="center" gap="sm" ta="center">
          <ThemeIcon size={48} radius="xl" variant="light" color="gray" aria-hidden>
            <IconFilterOff size={26} />
          </ThemeIcon>
          <Title order={3} size="h4">
            No certificate matches these filters
          </Title>
          <Button variant="light" onClick={onClearFilters}>
            Clear filters
          </Button>
        </Stack>
      </Paper>
    );
  }
  return (
    <Paper withBorder radius="lg" p="xl" data-testid="cert-empty" data-reason="empty">
      <Stack align="center" gap="md" maw={620} mx="auto" ta="center">
        <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
          <IconLicense size={32} />
        </ThemeIcon>
        <Title order={2} size="h3">
          No certificates yet
        </Title>
        <Text c="dimmed">
          Issue a client certificate from one of your issuing CAs (certdesk generates and seals the key, or signs a CSR so the key never
          leaves the client), or import certificates issued elsewhere to track their expiry.
        </Text>
        {issueBlocked && (
          <Text size="sm" c="orange">
            {issueBlocked}
          </Text>
        )}
        <Group>
          <Button
            size="md"
            leftSection={<IconPlus size={18} />}
            onClick={onIssue}
            disabled={issueBlocked !== null}
            data-testid="empty-issue-cert"
          >
            Issue certificate
          </Button>
          <Button size="md" variant="default" leftSection={<IconFileImport size={18} />} onClick={onImport}>
            Import
          </Button>
        </Group>
        {!issueBlocked && (
          <Text size="xs" c="dimmed">
            Shortcut: <Kbd size="xs">{shortcutLabel('mod+I')}</Kbd>
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
