import { Stack } from '@mantine/core';
import { DIAGNOSTIC_STAGES, type DiagnosticStage, type DiagnosticsReport } from '../../../../shared/contract/index.ts';
import { STAGE_TITLE } from './diagnostic-labels.ts';
import { StageItem, type StageSlot } from './StageItem.tsx';
import { ThumbprintComparison, cnfThumbprint } from './ThumbprintComparison.tsx';

/** The eight slots: from the report once it is back, else from the stages heard so far (the next one running). */
export function stageSlots(report: DiagnosticsReport | null, live: (DiagnosticStage | undefined)[]): StageSlot[] {
  if (report) {
    return report.stages.map((stage, index) => ({ id: stage.id, index, status: stage.status, stage, title: stage.title }));
  }
  const next = DIAGNOSTIC_STAGES.findIndex((_, index) => live[index] === undefined);
  return DIAGNOSTIC_STAGES.map((id, index) => {
    const stage = live[index] ?? null;
    return {
      id,
      index,
      status: stage ? stage.status : index === next ? 'running' : 'waiting',
      stage,
      title: stage?.title ?? STAGE_TITLE[id],
    };
  });
}

interface Props {
  slots: StageSlot[];
  report: DiagnosticsReport | null;
  expanded: ReadonlySet<string>;
  onToggle: (id: string) => void;
}

/** The stages in order, as a vertical list. */
export function StageList({ slots, report, expanded, onToggle }: Props) {
  return (
    <Stack
      component="ol"
      gap="sm"
      m={0}
      p={0}
      style={{ listStyle: 'none' }}
      data-testid="diagnostic-stages"
      aria-label="Stages of the flight check"
    >
      {slots.map((slot) => (
        <StageItem
          key={slot.id}
          slot={slot}
          expanded={expanded.has(slot.id)}
          onToggle={() => onToggle(slot.id)}
          extra={
            slot.id === 'binding' && report && slot.stage ? (
              <ThumbprintComparison
                certificate={report.thumbprintSha256}
                token={cnfThumbprint(report.token?.payload)}
                testId="binding-thumbprints"
              />
            ) : undefined
          }
        />
      ))}
    </Stack>
  );
}
