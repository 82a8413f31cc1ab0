import { Code, Mark, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { DiagnosticsReport } from '../../../../shared/contract/index.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { ThumbprintComparison, cnfThumbprint } from './ThumbprintComparison.tsx';

const CNF_LINE = /^\s*"x5t#S256": /;

/** Formatted JSON, one line at a time; the cnf.x5t#S256 line is marked. */
function JsonBlock({
  value,
  label,
  highlightCnf,
  testId,
}: {
  value: Record<string, unknown>;
  label: string;
  highlightCnf: boolean;
  testId: string;
}) {
  const text = JSON.stringify(value, null, 2);
  let inCnf = false;
  const lines = text.split('\n').map((line, index) => {
    if (/^ {2}"cnf": \{$/.test(line)) inCnf = true;
    const marked = highlightCnf && inCnf && CNF_LINE.test(line);
    if (inCnf && /^ {2}\}/.test(line)) inCnf = false;
    return (
      <span key={index}>
        {marked ? (
          <Mark color="yellow" data-testid="token-cnf-line">
            {line}
          </Mark>
        ) : (
          line
        )}
        {'\n'}
      </span>
    );
  });
  return (
    <Stack gap={4} style={{ minWidth: 0 }}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: '0.04em' }} component="div">
        {label} <CopyValueButton value={text} label={`token ${label.toLowerCase()}`} />
      </Text>
      <Code block data-testid={testId} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {lines}
      </Code>
    </Stack>
  );
}

/** The access token of stage 3, decoded (the raw token never reaches the page), beside the certificate's thumbprint. */
export function TokenPanel({ report }: { report: DiagnosticsReport }) {
  const token = report.token;
  const cnf = cnfThumbprint(token?.payload);
  return (
    <Paper
      withBorder
      radius="lg"
      p="lg"
      data-testid="diagnostics-token"
      data-has-token={String(token !== null)}
      aria-labelledby="diagnostics-token-heading"
    >
      <Stack gap="md">
        <div>
          <Title order={3} size="h4" id="diagnostics-token-heading">
            The access token
          </Title>
          <Text size="sm" c="dimmed">
            Decoded from stage 3; certdesk never shows or stores the token itself. A certificate-bound token carries the certificate’s
            thumbprint in cnf.x5t#S256.
          </Text>
        </div>
        <ThumbprintComparison certificate={report.thumbprintSha256} token={cnf} testId="token-thumbprints" />
        {token ? (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <JsonBlock value={token.header} label="Header" highlightCnf={false} testId="token-header" />
            <JsonBlock value={token.payload} label="Payload" highlightCnf testId="token-payload" />
          </SimpleGrid>
        ) : (
          <Text size="sm" c="dimmed" data-testid="token-none">
            No token was issued, so there is nothing to decode: see stage 3 for why.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
