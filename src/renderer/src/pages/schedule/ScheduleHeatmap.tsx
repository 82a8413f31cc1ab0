import { Box, Group, Text, Tooltip } from '@mantine/core';
import { useRef, useState, type KeyboardEvent } from 'react';
import type { ScheduleItem } from '../../../../shared/contract/index.ts';
import { addDays } from '../../format/iso-week.ts';
import { beyondHeatmap, heatmapWeeks, type HeatmapWeek } from './schedule-model.ts';

export const HEATMAP_WEEKS = 26;
const CELL_GAP = 4;
/** Names listed in a cell's tooltip; the rest are counted. */
const MAX_NAMES = 8;

const rangeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short' });

/** Empty, then four steps of the primary color: the workload of a week at a glance. */
const LEVELS = [
  { min: 0, background: 'var(--mantine-color-default-hover)', color: 'var(--mantine-color-dimmed)' },
  { min: 1, background: 'var(--mantine-color-indigo-2)', color: 'var(--mantine-color-indigo-9)' },
  { min: 2, background: 'var(--mantine-color-indigo-4)', color: 'var(--mantine-color-white)' },
  { min: 4, background: 'var(--mantine-color-indigo-6)', color: 'var(--mantine-color-white)' },
  { min: 8, background: 'var(--mantine-color-indigo-9)', color: 'var(--mantine-color-white)' },
];

function level(count: number) {
  return [...LEVELS].reverse().find((step) => count >= step.min) ?? LEVELS[0]!;
}

function weekRange(week: HeatmapWeek): string {
  return `${rangeFormat.format(week.start)} – ${rangeFormat.format(addDays(week.end, -1))}`;
}

function describe(week: HeatmapWeek, current: boolean): string {
  const count = week.items.length;
  const head = `Week ${week.week} (${weekRange(week)})${current ? ', this week' : ''}: ${count === 0 ? 'no renewals' : `${count} renewal${count === 1 ? '' : 's'}`}`;
  if (count === 0) return `${head}.`;
  const names = week.items.slice(0, MAX_NAMES).map((item) => item.name);
  const more = count - names.length;
  const late = week.alreadyDue > 0 ? ` (${week.alreadyDue} already due)` : '';
  return `${head}${late}: ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}.`;
}

/**
 * How many renewals fall in each of the next 26 ISO weeks. One focusable cell per week (arrow
 * keys move between them, one tab stop for the whole row), each with its count and names.
 */
export function ScheduleHeatmap({ items, now }: { items: ScheduleItem[]; now: number }) {
  const weeks = heatmapWeeks(items, new Date(now), HEATMAP_WEEKS);
  const beyond = beyondHeatmap(items, weeks);
  const [active, setActive] = useState(0);
  const cells = useRef<(HTMLDivElement | null)[]>([]);

  const moveTo = (index: number) => {
    const next = Math.min(Math.max(index, 0), weeks.length - 1);
    setActive(next);
    cells.current[next]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      ArrowDown: active + 1,
      ArrowUp: active - 1,
      Home: 0,
      End: weeks.length - 1,
    };
    if (event.key in moves) {
      event.preventDefault();
      moveTo(moves[event.key]!);
    }
  };

  const total = weeks.reduce((sum, week) => sum + week.items.length, 0);
  const busiest = weeks.reduce((best, week) => (week.items.length > best.items.length ? week : best), weeks[0]!);

  return (
    <Box>
      <Box style={{ overflowX: 'auto', paddingTop: 2, paddingBottom: 2 }}>
        <Box miw={HEATMAP_WEEKS * 24}>
          {/* Month labels above the first week of each month. */}
          <Box
            aria-hidden
            style={{ display: 'grid', gridTemplateColumns: `repeat(${weeks.length}, minmax(20px, 1fr))`, columnGap: CELL_GAP }}
          >
            {weeks.map((week, index) => {
              const showMonth = index === 0 || week.start.getMonth() !== weeks[index - 1]!.start.getMonth();
              return (
                <Text key={week.key} size="xs" c="dimmed" style={{ whiteSpace: 'nowrap', overflow: 'visible', height: 18 }}>
                  {showMonth ? monthFormat.format(week.start) : ''}
                </Text>
              );
            })}
          </Box>
          <div
            role="grid"
            aria-label={`Renewals per week over the next ${weeks.length} weeks: ${total} in all${
              busiest.items.length > 0 ? `, most in week ${busiest.week} (${busiest.items.length})` : ''
            }. Use the arrow keys to move between weeks.`}
            data-testid="schedule-heatmap"
            onKeyDown={onKeyDown}
          >
            <div
              role="row"
              style={{ display: 'grid', gridTemplateColumns: `repeat(${weeks.length}, minmax(20px, 1fr))`, columnGap: CELL_GAP }}
            >
              {weeks.map((week, index) => {
                const count = week.items.length;
                const step = level(count);
                const current = index === 0;
                const label = describe(week, current);
                return (
                  <Tooltip key={week.key} label={label} multiline maw={320} withArrow events={{ hover: true, focus: true, touch: true }}>
                    <div
                      ref={(element) => {
                        cells.current[index] = element;
                      }}
                      role="gridcell"
                      tabIndex={index === active ? 0 : -1}
                      aria-label={label}
                      onFocus={() => setActive(index)}
                      data-testid="heatmap-week"
                      data-week={week.key}
                      data-count={count}
                      style={{
                        height: 34,
                        borderRadius: 'var(--mantine-radius-sm)',
                        background: step.background,
                        color: step.color,
                        display: 'flex',
                        alignItems: 'center',
                        justifyContent: 'center',
                        fontSize: 12,
                        fontWeight: 600,
                        cursor: 'default',
                        outlineOffset: 2,
                        boxShadow: current ? 'inset 0 0 0 2px var(--mantine-primary-color-filled)' : undefined,
                        position: 'relative',
                      }}
                    >
                      {count > 0 ? count : ''}
                      {week.alreadyDue > 0 && (
                        <span
                          aria-hidden
                          style={{
                            position: 'absolute',
                            top: 3,
                            right: 3,
                            width: 6,
                            height: 6,
                            borderRadius: 3,
                            background: 'var(--mantine-color-orange-6)',
                          }}
                        />
                      )}
                    </div>
                  </Tooltip>
                );
              })}
            </div>
          </div>
          {/* ISO week numbers under the cells. */}
          <Box
            aria-hidden
            style={{
              display: 'grid',
              gridTemplateColumns: `repeat(${weeks.length}, minmax(20px, 1fr))`,
              columnGap: CELL_GAP,
              marginTop: 2,
            }}
          >
            {weeks.map((week) => (
              <Text key={week.key} size="10px" c="dimmed" ta="center">
                {week.week}
              </Text>
            ))}
          </Box>
        </Box>
      </Box>
      <Group justify="space-between" mt={6} gap="sm" wrap="wrap">
        <Text size="xs" c="dimmed">
          ISO weeks, this week outlined. Renewals already due count in this week (orange dot).
          {beyond > 0 && ` ${beyond} more fall due after week ${weeks.at(-1)!.week}.`}
        </Text>
        <Group gap={4} aria-hidden wrap="nowrap">
          <Text size="xs" c="dimmed" mr={2}>
            Fewer
          </Text>
          {LEVELS.map((step) => (
            <span key={step.min} style={{ width: 14, height: 14, borderRadius: 3, background: step.background, display: 'inline-block' }} />
          ))}
          <Text size="xs" c="dimmed" ml={2}>
            More
          </Text>
        </Group>
      </Group>
    </Box>
  );
}
