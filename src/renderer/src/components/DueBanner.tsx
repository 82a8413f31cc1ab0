import { Button, CloseButton, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconCalendarDue } from '@tabler/icons-react';
import { useState } from 'react';
import type { ScheduleItem } from '../../../shared/contract/index.ts';

/** The banner's height when shown; the app shell's header grows by it. */
export const DUE_BANNER_HEIGHT = 40;

const DISMISSED_KEY = 'certdesk.due-banner.dismissed';

/** An item and how urgent it is: dismissing covers these, and a new item or a worse state shows the banner again. */
function signature(item: ScheduleItem): string {
  return `${item.id}:${item.state}`;
}

function readDismissed(): Set<string> {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((value): value is string => typeof value === 'string') : []);
  } catch {
    return new Set();
  }
}

/** Whether the banner has something the operator has not dismissed in this session. */
export function useDueBanner(due: ScheduleItem[] | null) {
  const [dismissed, setDismissed] = useState(readDismissed);
  const visible = due !== null && due.some((item) => !dismissed.has(signature(item)));
  const dismiss = () => {
    const next = new Set(due?.map(signature));
    setDismissed(next);
    try {
      sessionStorage.setItem(DISMISSED_KEY, JSON.stringify([...next]));
    } catch {
      // Storage refused (quota, privacy mode): the banner stays dismissed until a reload.
    }
  };
  return { visible, dismiss };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

interface Props {
  due: ScheduleItem[];
  /** Hidden on the Schedule page itself. */
  onOpenSchedule?: () => void;
  onDismiss: () => void;
}

/** Shown across the top of every page while anything needs renewing. */
export function DueBanner({ due, onOpenSchedule, onDismiss }: Props) {
  const count = (state: ScheduleItem['state']) => due.filter((item) => item.state === state).length;
  const expired = count('expired');
  const overdue = count('overdue');
  const urgent = expired + overdue > 0;
  const parts = [expired && `${expired} expired`, overdue && `${overdue} overdue`, count('due') && `${count('due')} due`].filter(Boolean);
  const cas = due.filter((item) => item.kind === 'ca').length;
  const color = urgent ? 'red' : 'yellow';
  const Icon = urgent ? IconAlertTriangle : IconCalendarDue;

  return (
    <Group
      role="status"
      aria-live="polite"
      h={DUE_BANNER_HEIGHT}
      px="md"
      gap="sm"
      wrap="nowrap"
      data-testid="due-banner"
      data-due-count={due.length}
      style={{
        backgroundColor: `var(--mantine-color-${color}-light)`,
        borderTop: `1px solid var(--mantine-color-${color}-light-hover)`,
      }}
    >
      <Icon size={18} color={`var(--mantine-color-${color}-light-color)`} aria-hidden style={{ flexShrink: 0 }} />
      <Text size="sm" fw={500} style={{ flex: 1, minWidth: 0, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {plural(due.length, 'certificate needs', 'certificates need')} renewing
        {cas > 0 && ` (${plural(cas, 'CA')} among them)`}: {parts.join(', ')}.
      </Text>
      {onOpenSchedule && (
        <Button
          size="compact-sm"
          variant="white"
          color={color}
          onClick={onOpenSchedule}
          data-testid="due-banner-open"
          style={{ flexShrink: 0 }}
        >
          Open the schedule
        </Button>
      )}
      <CloseButton
        size="sm"
        aria-label="Dismiss until something else falls due"
        title="Dismiss until something else falls due"
        onClick={onDismiss}
        data-testid="due-banner-dismiss"
      />
    </Group>
  );
}
