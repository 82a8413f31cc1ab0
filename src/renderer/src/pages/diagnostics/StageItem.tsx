import { Badge, Box, Button, Collapse, Group, Loader, Paper, Stack, Table, Text, ThemeIcon } from '@mantine/core';
import {
  IconChevronDown,
  IconChevronRight,
  IconCircleCheck,
  IconCircleDashed,
  IconCircleMinus,
  IconCircleX,
  IconTool,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { DiagnosticStage, DiagnosticStageId } from '../../../../shared/contract/index.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { CopyableCode } from '../../components/CopyableCode.tsx';
import { STAGE_PURPOSE, STATUS_COLOR, STATUS_LABEL, type SlotStatus } from './diagnostic-labels.ts';

const ICON: Record<Exclude<SlotStatus, 'running'>, ReactNode> = {
  pass: <IconCircleCheck size={18} />,
  fail: <IconCircleX size={18} />,
  skip: <IconCircleMinus size={18} />,
  waiting: <IconCircleDashed size={18} />,
};

export interface StageSlot {
  id: DiagnosticStageId;
  /** 0-based position in the run. */
  index: number;
  status: SlotStatus;
  /** The finished stage; null while it waits or runs. */
  stage: DiagnosticStage | null;
  /** Its title before the stage reports one. */
  title: string;
}

interface Props {
  slot: StageSlot;
  expanded: boolean;
  onToggle: () => void;
  /** Shown inside the details, above the evidence (the binding stage's thumbprint comparison). */
  extra?: ReactNode;
}

export function stageElementId(id: string): string {
  return `diagnostic-stage-${id}`;
}

function EvidenceTable({ stage }: { stage: DiagnosticStage }) {
  if (stage.evidence.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No evidence: the stage did not get to look.
      </Text>
    );
  }
  return (
    <Table withTableBorder variant="vertical" layout="fixed" data-testid="stage-evidence" aria-label={`Evidence of stage ${stage.title}`}>
      <Table.Tbody>
        {stage.evidence.map((item, index) => (
          <Table.Tr key={`${index}-${item.label}`} data-testid="stage-evidence-row" data-label={item.label}>
            <Table.Th scope="row" w="32%" style={{ verticalAlign: 'top' }}>
              <Text size="sm" fw={500}>
                {item.label}
              </Text>
            </Table.Th>
            <Table.Td>
              <Group gap={4} wrap="nowrap" align="flex-start" justify="space-between">
                <Text
                  size="sm"
                  ff="monospace"
                  style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
                  data-testid="stage-evidence-value"
                >
                  {item.value}
                </Text>
                <CopyValueButton value={item.value} label={item.label} />
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One stage of the flight check: status, title and timing; on failure or skip why and what to do; then its evidence and the command that repeats it. */
export function StageItem({ slot, expanded, onToggle, extra }: Props) {
  const { stage, status } = slot;
  const number = slot.index + 1;
  const detailsId = `${stageElementId(slot.id)}-details`;
  const color = STATUS_COLOR[status];
  const explained = stage && (stage.status === 'fail' || stage.status === 'skip');

  return (
    <Paper
      component="li"
      withBorder
      radius="md"
      p="md"
      id={stageElementId(slot.id)}
      tabIndex={-1}
      data-testid="diagnostic-stage"
      data-stage={slot.id}
      data-status={status}
      data-code={stage?.code}
      aria-label={`Stage ${number}: ${stage?.title ?? slot.title}. ${STATUS_LABEL[status]}.`}
      style={{ borderLeft: `4px solid var(--mantine-color-${color}-${status === 'waiting' ? 3 : 6})` }}
    >
      <Stack gap="sm">
        <Group gap="sm" wrap="nowrap" align="flex-start">
          {status === 'running' ? (
            <Group w={28} h={28} justify="center" aria-hidden style={{ flexShrink: 0 }}>
              <Loader size={18} color="blue" />
            </Group>
          ) : (
            <ThemeIcon size={28} radius="xl" variant="light" color={color} aria-hidden style={{ flexShrink: 0 }}>
              {ICON[status]}
            </ThemeIcon>
          )}
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <Group gap="xs" wrap="wrap" justify="space-between">
              <Group gap="xs" wrap="wrap">
                <Text fw={600} size="sm" data-testid="stage-title">
                  {number}. {stage?.title ?? slot.title}
                </Text>
                <Badge size="sm" variant={status === 'fail' ? 'filled' : 'light'} color={color} tt="none" data-testid="stage-status">
                  {STATUS_LABEL[status]}
                </Badge>
                {stage?.code && (
                  <Badge size="sm" variant="outline" color={color} tt="none" ff="monospace" data-testid="stage-code">
                    {stage.code}
                  </Badge>
                )}
              </Group>
              {stage && (
                <Text size="xs" c="dimmed" ff="monospace" data-testid="stage-ms" aria-label={`took ${stage.ms} milliseconds`}>
                  {stage.ms} ms
                </Text>
              )}
            </Group>
            <Text size="xs" c="dimmed">
              {STAGE_PURPOSE[slot.id]}
            </Text>
          </Stack>
        </Group>

        {explained && (
          <Stack gap={6} pl={40}>
            {stage.cause && (
              <Text size="sm" data-testid="stage-cause">
                <Text span fw={600} c={stage.status === 'fail' ? 'red' : undefined}>
                  {stage.status === 'fail' ? 'Cause: ' : 'Why skipped: '}
                </Text>
                {stage.cause}
              </Text>
            )}
            {stage.fix && (
              <Group gap={6} wrap="nowrap" align="flex-start" data-testid="stage-fix">
                <IconTool size={16} aria-hidden style={{ marginTop: 3, flexShrink: 0 }} />
                <Text size="sm">
                  <Text span fw={600}>
                    Fix:{' '}
                  </Text>
                  {stage.fix}
                </Text>
              </Group>
            )}
          </Stack>
        )}

        {stage && (
          <Box pl={40}>
            <Button
              variant="subtle"
              size="compact-sm"
              leftSection={expanded ? <IconChevronDown size={16} aria-hidden /> : <IconChevronRight size={16} aria-hidden />}
              onClick={onToggle}
              aria-expanded={expanded}
              aria-controls={detailsId}
              data-testid="stage-toggle"
            >
              {expanded ? 'Hide evidence' : stage.curl ? 'Evidence and command' : 'Evidence'}
            </Button>
            <Collapse expanded={expanded} id={detailsId}>
              <Stack gap="sm" pt="sm">
                {extra}
                <EvidenceTable stage={stage} />
                {stage.curl && (
                  <Stack gap={4}>
                    <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }}>
                      Reproduce by hand
                    </Text>
                    <CopyableCode
                      value={stage.curl}
                      label={`command for stage ${number}`}
                      testId="stage-command"
                      copyTestId="stage-command-copy"
                    />
                  </Stack>
                )}
              </Stack>
            </Collapse>
          </Box>
        )}
      </Stack>
    </Paper>
  );
}
