import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconPlugConnectedX } from '@tabler/icons-react';
import { errorCodeInfo, type Failure, type TenantTestResult } from '../../../../shared/contract/index.ts';
import { humanDuration } from '../../../../shared/duration.ts';
import { transientNote } from '../../format/failure-note.ts';

export type TestOutcome = { ok: true; value: TenantTestResult } | { ok: false; error: Failure };

/** Titled by the contract's error table, not per code: passing trouble, Auth0's refusal, or anything else. */
function errorTitle(code: string): string {
  const info = errorCodeInfo(code);
  if (info.transient) return 'Auth0 is busy or unreachable';
  return info.category === 'auth0' ? 'Auth0 refused the connection test' : 'The connection test failed';
}

/** What "Test connection" found: the granted scope count, the missing scopes by name, or the error as main wrote it. */
export function TenantTestResultView({ outcome }: { outcome: TestOutcome }) {
  if (!outcome.ok) {
    const { error } = outcome;
    const note = transientNote(error.code);
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconPlugConnectedX />}
        title={errorTitle(error.code)}
        data-testid="tenant-test-result"
        data-ok="false"
        data-error-code={error.code}
      >
        <Text size="sm" data-testid="tenant-test-message">
          {error.message}
        </Text>
        {note && (
          <Text size="sm" mt={4} data-testid="error-transient-note">
            {note}
          </Text>
        )}
        <Text size="xs" c="dimmed" mt={4}>
          {error.code}
        </Text>
      </Alert>
    );
  }

  const { value } = outcome;
  const noToken = value.tokenExpiresIn === null;
  const color = value.ok ? 'teal' : 'orange';
  return (
    <Alert
      color={color}
      variant="light"
      icon={value.ok ? <IconCircleCheck /> : <IconAlertTriangle />}
      title={
        value.ok
          ? 'Connected: every scope certdesk needs is granted'
          : noToken
            ? 'Authenticated, but no Management API grant'
            : 'Connected, but scopes are missing'
      }
      data-testid="tenant-test-result"
      data-ok={String(value.ok)}
      data-granted-count={value.granted.length}
      data-missing-count={value.missing.length}
    >
      <Stack gap={6}>
        <Text size="sm">
          {value.granted.length} scope{value.granted.length === 1 ? '' : 's'} granted
          {/* Seconds as people read them, like every other span in the app: "1 day", not "86400" or "24 h". */}
          {value.tokenExpiresIn !== null && (
            <>
              {' '}
              · token lifetime <span data-testid="tenant-token-lifetime">{humanDuration(value.tokenExpiresIn)}</span>
            </>
          )}
          {noToken && <> · no token was issued: authorise the application for the Auth0 Management API</>}
        </Text>
        {value.missing.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              Missing ({value.missing.length}): grant these to the M2M application in the Auth0 dashboard
            </Text>
            <Group gap={6}>
              {value.missing.map((scope) => (
                <Badge
                  key={scope}
                  color="red"
                  variant="light"
                  tt="none"
                  ff="monospace"
                  data-testid="tenant-missing-scope"
                  data-scope={scope}
                >
                  {scope}
                </Badge>
              ))}
            </Group>
          </Stack>
        )}
      </Stack>
    </Alert>
  );
}
