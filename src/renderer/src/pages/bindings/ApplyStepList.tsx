import { Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconCircleMinus, IconCircleX, IconDiscountCheck } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { StepIcon } from '../../components/StepIcon.tsx';
import { STEP_KIND_LABEL } from './binding-labels.ts';
import type { LiveStep, LiveStepStatus } from './use-apply-progress.ts';

const STATUS: Record<LiveStepStatus, { label: string; color: string; icon: ReactNode }> = {
  pending: { label: 'Waiting', color: 'gray', icon: <IconCircleDashed size={18} /> },
  running: { label: 'Running', color: 'blue', icon: <Loader size={16} color="blue" /> },
  done: { label: 'Done', color: 'teal', icon: <IconCircleCheck size={18} /> },
  'already-done': { label: 'Already done', color: 'cyan', icon: <IconDiscountCheck size={18} /> },
  failed: { label: 'Failed', color: 'red', icon: <IconCircleX size={18} /> },
  'not-run': { label: 'Not run', color: 'gray', icon: <IconCircleMinus size={18} /> },
};

/** The steps of an apply with their status: live while it runs, then as the result reports them. */
export function ApplyStepList({ steps }: { steps: LiveStep[] }) {
  return (
    <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: 'none' }} data-testid="apply-steps">
      {steps.map((step, index) => {
        const status = STATUS[step.status];
        return (
          <Group
            key={`${index}-${step.stepId}`}
            component="li"
            gap="sm"
            wrap="nowrap"
            align="flex-start"
            data-testid="apply-step"
            data-status={step.status}
            data-kind={step.kind ?? undefined}
            aria-label={`Step ${index + 1}: ${step.summary}. ${status.label}.`}
          >
            <StepIcon running={step.status === 'running'} color={status.color} icon={status.icon} />
            <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
              <Group gap="xs" wrap="wrap">
                <Text size="sm" fw={500}>
                  {step.summary}
                </Text>
                <Badge size="sm" variant="light" color={status.color} tt="none" data-testid="apply-step-status">
                  {status.label}
                </Badge>
                {step.attempts > 1 && (
                  <Text size="xs" c="dimmed">
                    {step.attempts} attempts
                  </Text>
                )}
              </Group>
              {step.kind && (
                <Text size="xs" c="dimmed">
                  {STEP_KIND_LABEL[step.kind]}
                </Text>
              )}
              {step.message && (
                <Text size="xs" c={step.status === 'failed' ? 'red' : 'dimmed'} data-testid="apply-step-message">
                  {step.message}
                </Text>
              )}
            </Stack>
          </Group>
        );
      })}
    </Stack>
  );
}
