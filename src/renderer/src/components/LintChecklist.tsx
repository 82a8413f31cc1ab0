import { Alert, List, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconX } from '@tabler/icons-react';
import type { LintCheck, LintResult } from '../../../shared/contract/index.ts';

const CHECK_NAMES: Record<LintCheck['id'], string> = {
  version: 'X.509 version',
  key: 'Key strength',
  eku: 'Extended key usage',
  subject: 'Subject',
  validity: 'Validity',
  chain: 'Chain',
  'ca-outlives-leaf': 'CA outlives the certificate',
  signature: 'Signature',
};

/** Pass/fail lines, each failure with what to do about it: the same checks Auth0 and the edge apply. */
export function LintChecklist({ lint, testId = 'cert-lint' }: { lint: LintResult; testId?: string }) {
  const failed = lint.checks.filter((check) => !check.ok).length;
  return (
    <Stack gap="sm" data-testid={testId} data-ok={lint.ok}>
      <Alert color={lint.ok ? 'teal' : 'red'} variant="light" icon={lint.ok ? <IconCheck /> : <IconX />} p="xs">
        {lint.ok ? `All ${lint.checks.length} checks pass.` : `${failed} of ${lint.checks.length} checks fail.`}
      </Alert>
      <List spacing="xs" size="sm" center={false}>
        {lint.checks.map((check) => (
          <List.Item
            key={check.id}
            data-testid="lint-check"
            data-check-id={check.id}
            data-ok={check.ok}
            icon={
              <ThemeIcon color={check.ok ? 'teal' : 'red'} size={20} radius="xl" variant="light" aria-label={check.ok ? 'pass' : 'fail'}>
                {check.ok ? <IconCheck size={14} /> : <IconX size={14} />}
              </ThemeIcon>
            }
          >
            <Text size="sm">
              <Text span fw={600}>
                {CHECK_NAMES[check.id] ?? check.id}:
              </Text>{' '}
              {check.message}
            </Text>
            {!check.ok && check.fix && (
              <Text size="sm" c="dimmed" data-testid="lint-fix">
                Fix: {check.fix}
              </Text>
            )}
          </List.Item>
        ))}
      </List>
    </Stack>
  );
}
