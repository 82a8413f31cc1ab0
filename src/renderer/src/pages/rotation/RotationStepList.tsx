import { Group, Loader, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconCircleMinus, IconCircleX, IconHourglass } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { StepIcon } from '../../components/StepIcon.tsx';
import { STEP_LABEL, type StepStatus, type StepView } from './rotation-labels.ts';

const STATUS: Record<StepStatus, { label: string; color: string; icon: ReactNode }> = {
  pending: { label: 'Not yet', color: 'gray', icon: <IconCircleDashed size={18} /> },
  running: { label: 'Running', color: 'blue', icon: <Loader size={16} color="blue" /> },
  done: { label: 'Done', color: 'teal', icon: <IconCircleCheck size={18} /> },
  skipped: { label: 'Not needed', color: 'cyan', icon: <IconCircleMinus size={18} /> },
  waiting: { label: 'Waiting', color: 'yellow', icon: <IconHourglass size={18} /> },
  failed: { label: 'Failed', color: 'red', icon: <IconCircleX size={18} /> },
};

/** The rotation steps (the contract's list) with their status and what each did. */
export function RotationStepList({ steps }: { steps: StepView[] }) {
  return (
    <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: 'none' }} data-testid="rotation-steps">
      {steps.map((s) => {
        const status = STATUS[s.status];
        return (
          <Group
            key={s.step}
            component="li"
            gap="sm"
            wrap="nowrap"
            align="flex-start"
            data-testid="rotation-step"
            data-step={s.step}
            data-status={s.status}
            aria-label={`Step ${s.step}: ${STEP_LABEL[s.name]}. ${status.label}.`}
          >
            <StepIcon running={s.status === 'running'} color={status.color} icon={status.icon} />
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={500}>
                {s.step}. {STEP_LABEL[s.name]}
              </Text>
              {s.detail && (
                <Text size="xs" c={s.status === 'failed' ? 'red' : 'dimmed'} style={{ wordBreak: 'break-word' }}>
                  {s.detail}
                </Text>
              )}
            </div>
          </Group>
        );
      })}
    </Stack>
  );
}
