import { Button, CloseButton, Group, Text } from '@mantine/core';
import { IconAlertTriangle, IconCalendarDue } from '@tabler/icons-react';
import { useState } from 'react';
import { dueCount, type DueSummary } from '../../../shared/contract/index.ts';

/** The banner's height when shown; the app shell's header grows by it. */
export const DUE_BANNER_HEIGHT = 40;

const DISMISSED_KEY = 'certdesk.due-banner.dismissed';

function readDismissed(): Set<string> {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(DISMISSED_KEY) ?? '[]');
    return new Set(Array.isArray(stored) ? stored.filter((value): value is string => typeof value === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * Whether the banner has something the operator has not dismissed in this session. Dismissing covers
 * the items shown, each by its mark (id and state, see dueMark): a new item or a worse state shows it again.
 */
export function useDueBanner(due: DueSummary | null) {
  const [dismissed, setDismissed] = useState(readDismissed);
  const visible = due !== null && due.marks.some((mark) => !dismissed.has(mark));
  const dismiss = () => {
    const next = new Set(due?.marks);
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
  due: DueSummary;
  /** Hidden on the Schedule page itself. */
  onOpenSchedule?: () => void;
  onDismiss: () => void;
}

/** Shown across the top of every page while anything needs renewing. */
export function DueBanner({ due, onOpenSchedule, onDismiss }: Props) {
  const { expired, overdue, cas } = due;
  const total = dueCount(due);
  const urgent = expired + overdue > 0;
  const parts = [expired && `${expired} expired`, overdue && `${overdue} overdue`, due.due && `${due.due} due`].filter(Boolean);
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
      data-due-count={total}
      style={{
        backgroundColor: `var(--mantine-color-${color}-light)`,
        borderTop: `1px solid var(--mantine-color-${color}-light-hover)`,
      }}
    >
      <Icon size={18} color={`var(--mantine-color-${color}-light-color)`} aria-hidden style={{ flexShrink: 0 }} />
      <Text size="sm" fw={500} style={{ flex: 1, minWidth: 0, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>
        {plural(total, 'certificate needs', 'certificates need')} renewing
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
