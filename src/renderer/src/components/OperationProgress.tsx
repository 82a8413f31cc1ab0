import { Progress, Stack, Text } from '@mantine/core';
import type { ProgressEvent } from '../../../shared/contract/index.ts';

/** The steps main reports for a long call (RSA key generation, signing), so it reads as working, not hung. */
export function OperationProgress({ progress, testId }: { progress: ProgressEvent | null; testId: string }) {
  const percent = progress ? Math.round((progress.step / Math.max(progress.total, 1)) * 100) : 0;
  const label = progress ? `${progress.label} (${progress.step}/${progress.total})` : 'Starting…';
  return (
    <Stack gap={6} data-testid={testId} role="status" aria-live="polite">
      <Progress value={Math.max(percent, 4)} animated striped aria-label={label} />
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}
