import { Center, Code, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';

/** Web mode without the token: every call would be refused, so say how to get in instead of failing one by one. */
export function NoTokenScreen() {
  return (
    <Center mih="100vh" p="md" data-testid="no-token">
      <Paper withBorder shadow="sm" p="xl" maw={560} radius="lg">
        <Stack gap="md">
          <ThemeIcon size={48} radius="xl" variant="light" aria-hidden>
            <IconKey size={28} />
          </ThemeIcon>
          <Title order={1} size="h3">
            certdesk needs its access link
          </Title>
          <Text>
            Open certdesk with the link printed by <Code>npm run web</Code> (it carries a one-time access token).
          </Text>
          <Text size="sm" c="dimmed">
            The web host only answers this machine and only a browser that holds the token of its current run. If you restarted{' '}
            <Code>npm run web</Code>, use the new link it printed.
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}
