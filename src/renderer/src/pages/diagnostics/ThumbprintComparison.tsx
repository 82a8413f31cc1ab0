import { Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconEqual, IconEqualNot } from '@tabler/icons-react';
import { DetailField } from '../../components/DetailField.tsx';

/** `cnf["x5t#S256"]` of a decoded token payload, if it has one. */
export function cnfThumbprint(payload: Record<string, unknown> | undefined): string | null {
  const cnf = payload?.cnf;
  if (typeof cnf !== 'object' || cnf === null) return null;
  const value = (cnf as Record<string, unknown>)['x5t#S256'];
  return typeof value === 'string' ? value : null;
}

interface Props {
  /** base64url SHA-256 of the certificate's DER, as the report gives it. */
  certificate: string;
  /** The token's cnf.x5t#S256; null when the token has none (or there is no token). */
  token: string | null;
  testId?: string;
}

/** The certificate's thumbprint next to the token's cnf value: equal means the token is bound to it. */
export function ThumbprintComparison({ certificate, token, testId }: Props) {
  const state = token === null ? 'missing' : token === certificate ? 'match' : 'differ';
  return (
    <Stack gap="xs" data-testid={testId} data-match={state}>
      <Group gap="xs">
        <Text size="sm" fw={500}>
          Certificate binding
        </Text>
        {state === 'match' && (
          <Badge color="teal" variant="light" leftSection={<IconEqual size={12} aria-hidden />} tt="none">
            The token is bound to this certificate
          </Badge>
        )}
        {state === 'differ' && (
          <Badge color="red" variant="light" leftSection={<IconEqualNot size={12} aria-hidden />} tt="none">
            Bound to a different certificate
          </Badge>
        )}
        {state === 'missing' && (
          <Badge color="orange" variant="light" tt="none">
            No cnf in the token
          </Badge>
        )}
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <DetailField label="x5t#S256 of the certificate" value={certificate} copyable testId="thumbprint-certificate" />
        <DetailField label="cnf.x5t#S256 in the token" value={token ?? '(none)'} copyable={token !== null} testId="thumbprint-token" />
      </SimpleGrid>
    </Stack>
  );
}
