import { Alert, Code, Text } from '@mantine/core';
import type { TargetRollbackResult } from '../../../../../shared/contract/index.ts';

/** What a rollback did: which release is current again, and how to undo it. */
export function RollbackOutcome({ result }: { result: TargetRollbackResult }) {
  return (
    <Alert
      color="orange"
      variant="light"
      title="Rolled back"
      data-testid="delivery-rollback-result"
      data-target-id={result.target}
      data-release-id={result.releaseId}
      role="status"
    >
      <Text size="sm">
        Release <Code>{result.releaseId}</Code>
        {result.serialHex ? (
          <>
            {' '}
            (serial <Code>{result.serialHex}</Code>)
          </>
        ) : null}{' '}
        is current again{result.reload ? ', and the reload ran' : ''}.
        {result.rolledBackFrom ? (
          <>
            {' '}
            Release <Code>{result.rolledBackFrom}</Code> is now previous: roll back again to return to it.
          </>
        ) : null}
      </Text>
    </Alert>
  );
}
