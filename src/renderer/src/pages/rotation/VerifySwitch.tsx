import { Stack, Switch, Text } from '@mantine/core';

/**
 * The "verify with a real token" choice for a rotation. Turned off, it says plainly what that
 * gives up: the old credential goes after the overlap whether or not the new certificate works.
 */
export function VerifySwitch({
  verify,
  onChange,
  overlap,
  disabled,
  label,
  testId,
}: {
  verify: boolean;
  onChange: (value: boolean) => void;
  overlap: string;
  disabled?: boolean;
  label: string;
  testId: string;
}) {
  return (
    <Stack gap={4}>
      <Switch label={label} checked={verify} onChange={(e) => onChange(e.currentTarget.checked)} disabled={disabled} data-testid={testId} />
      {!verify && (
        <Text size="xs" c={overlap === '0' ? 'red' : 'orange'} role="status" data-testid={`${testId}-warning`}>
          Without verification the old credential is removed after the overlap even if the new certificate cannot get a token.
          {overlap === '0'
            ? ' With no overlap either, a broken binding cuts clients off at once: keep one of the two.'
            : ' Clients still on the old certificate stop working then.'}
        </Text>
      )}
    </Stack>
  );
}
