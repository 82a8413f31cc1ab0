import { Button, Center, Stack } from '@mantine/core';
import { useState } from 'react';
import type { Failure } from '../../../shared/contract/index.ts';
import { useAppData } from '../state/app-data.tsx';
import { ErrorAlert } from './ErrorAlert.tsx';

/** `app:info` failed (a database from a newer version, a busy file…): its message says what to do. */
export function StartupErrorScreen({ failure }: { failure: Failure }) {
  const { refreshInfo, refreshAuthorities } = useAppData();
  const [retrying, setRetrying] = useState(false);
  const retry = async () => {
    setRetrying(true);
    await Promise.all([refreshInfo(), refreshAuthorities()]);
    setRetrying(false);
  };
  return (
    <Center mih="100vh" p="md">
      <Stack maw={640} w="100%">
        <ErrorAlert title="certdesk could not open its store" data-testid="startup-error" code={failure.code}>
          {failure.message}
        </ErrorAlert>
        <Button variant="default" onClick={() => void retry()} loading={retrying} style={{ alignSelf: 'flex-start' }}>
          Try again
        </Button>
      </Stack>
    </Center>
  );
}
