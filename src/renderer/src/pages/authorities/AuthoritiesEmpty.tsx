import { Button, Kbd, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCertificate, IconPlus } from '@tabler/icons-react';
import { shortcutLabel } from '../../components/shortcut.ts';

/** First run: explain the two kinds of CA before asking for a name. */
export function AuthoritiesEmpty({ onCreateRoot }: { onCreateRoot: () => void }) {
  return (
    <Paper withBorder radius="lg" p="xl" data-testid="ca-empty">
      <Stack align="center" gap="md" maw={620} mx="auto" ta="center">
        <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
          <IconCertificate size={32} />
        </ThemeIcon>
        <Title order={2} size="h3">
          No certificate authorities yet
        </Title>
        <Text c="dimmed">certdesk signs your client certificates with a private CA hierarchy of two levels:</Text>
        <List spacing="xs" ta="left" size="sm">
          <List.Item>
            <Text span fw={600}>
              Root CA
            </Text>{' '}
            — signs itself and is the anchor your edge and relying parties trust. It lives long (10 years by default) and only ever signs
            issuing CAs.
          </List.Item>
          <List.Item>
            <Text span fw={600}>
              Issuing CA
            </Text>{' '}
            — signed by the root; it signs the client certificates. It lives shorter (5 years by default) and can be replaced without
            touching the root.
          </List.Item>
        </List>
        <Text size="sm" c="dimmed">
          Start with the root; you can add issuing CAs under it next.
        </Text>
        <Button size="md" leftSection={<IconPlus size={18} />} onClick={onCreateRoot} data-testid="empty-create-root">
          Create root CA
        </Button>
        <Text size="xs" c="dimmed">
          Shortcut: <Kbd size="xs">{shortcutLabel('mod+N')}</Kbd>
        </Text>
      </Stack>
    </Paper>
  );
}
