import { Badge } from '@mantine/core';
import type { ScheduleState } from '../../../../shared/contract/index.ts';
import { SCHEDULE_STATE_META } from '../../format/schedule-state.ts';

/** Expired red, overdue orange, due yellow, ok green. */
export function ScheduleStateBadge({ state }: { state: ScheduleState }) {
  const meta = SCHEDULE_STATE_META[state];
  return (
    <Badge
      color={meta.color}
      variant={state === 'ok' ? 'light' : 'filled'}
      size="sm"
      title={meta.hint}
      style={{ flexShrink: 0 }}
      data-testid="schedule-state-badge"
      data-state={state}
    >
      {meta.label}
    </Badge>
  );
}
