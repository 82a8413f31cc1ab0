import { Button, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCalendarCheck, IconCalendarOff } from '@tabler/icons-react';

interface Props {
  /** A "within N days" filter hides everything, as opposed to nothing to schedule at all. */
  filtered: boolean;
  withinDays: number | undefined;
  hasAuthorities: boolean;
  onShowAll: () => void;
}

export function ScheduleEmpty({ filtered, withinDays, hasAuthorities, onShowAll }: Props) {
  if (filtered) {
    return (
      <Paper withBorder radius="lg" p="xl" data-testid="schedule-empty" data-reason="filtered">
        <Stack align="center" gap="sm" ta="center">
          <ThemeIcon size={48} radius="xl" variant="light" color="green" aria-hidden>
            <IconCalendarCheck size={26} />
          </ThemeIcon>
          <Title order={3} size="h4">
            Nothing falls due within {withinDays} day{withinDays === 1 ? '' : 's'}
          </Title>
          <Text size="sm" c="dimmed" maw={520}>
            No renewal is due in that window, and nothing is overdue or expired.
          </Text>
          <Button variant="light" onClick={onShowAll} data-testid="schedule-show-all">
            Show everything
          </Button>
        </Stack>
      </Paper>
    );
  }
  return (
    <Paper withBorder radius="lg" p="xl" data-testid="schedule-empty" data-reason="empty">
      <Stack align="center" gap="sm" ta="center" maw={620} mx="auto">
        <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
          <IconCalendarOff size={32} />
        </ThemeIcon>
        <Title order={2} size="h3">
          Nothing to schedule yet
        </Title>
        <Text c="dimmed">
          {hasAuthorities
            ? 'The schedule lists every CA and every active client certificate with the date to renew it.'
            : 'Create a root CA and an issuing CA on the Authorities page, then issue certificates on the Inventory page: each appears here with the date to renew it.'}
        </Text>
      </Stack>
    </Paper>
  );
}
