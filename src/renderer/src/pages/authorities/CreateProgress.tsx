import { Progress, Stack, Text } from '@mantine/core';
import type { ProgressEvent } from '../../../../shared/contract/index.ts';

/** RSA-4096 generation can take seconds; the steps show it is working, not hung. */
export function CreateProgress({ progress }: { progress: ProgressEvent | null }) {
  const percent = progress ? Math.round((progress.step / Math.max(progress.total, 1)) * 100) : 0;
  const label = progress ? `${progress.label} (${progress.step}/${progress.total})` : 'Starting…';
  return (
    <Stack gap={6} data-testid="ca-create-progress" role="status" aria-live="polite">
      <Progress value={Math.max(percent, 4)} animated striped aria-label={label} />
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}
