import { Alert, Anchor, List, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import type { DiagnosticsReport } from '../../../../shared/contract/index.ts';
import { diagnosticsHeadline } from '../../../../shared/diagnostics-headline.ts';

interface Props {
  report: DiagnosticsReport;
  /** Opens a stage's details and moves the focus there. */
  onShowStage: (id: string) => void;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One line on the whole run: all passed, or how many stages failed and which. */
export function DiagnosticsSummary({ report, onShowStage }: Props) {
  const failed = report.stages.filter((s) => s.status === 'fail');
  const skipped = report.stages.filter((s) => s.status === 'skip');
  const passed = report.stages.length - failed.length - skipped.length;
  const counts = `${plural(passed, 'stage', 'stages')} passed${skipped.length ? `, ${skipped.length} skipped` : ''}${failed.length ? `, ${failed.length} failed` : ''}.`;

  if (report.ok) {
    return (
      <Alert
        color="teal"
        variant="light"
        icon={<IconCircleCheck />}
        title={diagnosticsHeadline(report)}
        data-testid="diagnostics-summary"
        data-ok="true"
        data-failed={0}
      >
        <Text size="sm">
          The token is bound to the certificate and the edge refuses what it must
          {skipped.length > 0 ? ' (a skipped stage checked nothing)' : ''}. {counts}
        </Text>
        {skipped.length > 0 && (
          <Text size="sm" mt={4}>
            Skipped:{' '}
            {skipped.map((stage, index) => (
              <span key={stage.id}>
                {index > 0 && ', '}
                <Anchor component="button" type="button" size="sm" onClick={() => onShowStage(stage.id)}>
                  {stage.title}
                </Anchor>
              </span>
            ))}
          </Text>
        )}
      </Alert>
    );
  }
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconCircleX />}
      title={diagnosticsHeadline(report)}
      data-testid="diagnostics-summary"
      data-ok="false"
      data-failed={failed.length}
    >
      <Text size="sm">{counts} Each failed stage says why and what to do:</Text>
      <List size="sm" mt={4} spacing={2}>
        {failed.map((stage) => (
          <List.Item key={stage.id}>
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => onShowStage(stage.id)}
              data-testid="summary-failed-stage"
              data-stage={stage.id}
            >
              {stage.title}
            </Anchor>
            {stage.code && (
              <Text span size="sm" ff="monospace" c="dimmed">
                {' '}
                {stage.code}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
    </Alert>
  );
}
