import { Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import type { AuthorityView } from '../../../../shared/contract/index.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { colonHex, shortFingerprint } from '../../format/fingerprint.ts';
import { keyTypeLabel } from '../../format/key-type.ts';
import { EXPIRY_COLOR, describeExpiry, formatDate } from '../../format/validity.ts';
import { AuthorityKindBadge } from './AuthorityKindBadge.tsx';
import { AuthorityStateBadge, CrlCell } from './AuthorityState.tsx';

interface Props {
  authorities: AuthorityView[];
  /** The row just created: scrolled into view and tinted for a moment. */
  highlightId: string | null;
  onOpen: (authority: AuthorityView) => void;
}

export function AuthorityTable({ authorities, highlightId, onOpen }: Props) {
  const names = new Map(authorities.map((authority) => [authority.id, authority.name]));
  return (
    <Table.ScrollContainer minWidth={1040}>
      <Table striped highlightOnHover verticalSpacing="sm" data-testid="ca-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={220}>Name</Table.Th>
            <Table.Th>Subject</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Valid from → to</Table.Th>
            <Table.Th>CRL</Table.Th>
            <Table.Th>SHA-256 fingerprint</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {authorities.map((authority) => (
            <AuthorityRow
              key={authority.id}
              authority={authority}
              parentName={authority.parentId ? (names.get(authority.parentId) ?? 'an unknown authority') : null}
              highlighted={authority.id === highlightId}
              onOpen={onOpen}
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

interface RowProps {
  authority: AuthorityView;
  parentName: string | null;
  highlighted: boolean;
  onOpen: (authority: AuthorityView) => void;
}

function AuthorityRow({ authority, parentName, highlighted, onOpen }: RowProps) {
  const ref = useRef<HTMLTableRowElement>(null);
  const expiry = describeExpiry(authority.notBefore, authority.notAfter);
  const fingerprint = colonHex(authority.sha256Hex);

  useEffect(() => {
    if (highlighted) ref.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [highlighted]);

  const onKeyDown = (event: KeyboardEvent<HTMLTableRowElement>) => {
    // Only the row itself: Enter on the copy button inside it must copy, not open.
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(authority);
    }
  };

  return (
    <Table.Tr
      ref={ref}
      tabIndex={0}
      aria-haspopup="dialog"
      aria-label={`${authority.name}, ${authority.kind} CA. Press Enter for details.`}
      onClick={() => onOpen(authority)}
      onKeyDown={onKeyDown}
      data-testid="ca-row"
      data-ca-name={authority.name}
      data-ca-kind={authority.kind}
      data-ca-id={authority.id}
      data-highlighted={highlighted || undefined}
      style={{
        cursor: 'pointer',
        transition: 'background-color 600ms ease',
        ...(highlighted ? { backgroundColor: 'var(--mantine-primary-color-light)' } : {}),
      }}
    >
      <Table.Td>
        <Stack gap={2}>
          <Group gap="xs" wrap="nowrap" align="center">
            {/* Long names are cut with an ellipsis here and shown whole in the tooltip and the drawer. */}
            <Tooltip label={authority.name} multiline maw={420} style={{ wordBreak: 'break-word' }} disabled={authority.name.length < 28}>
              <Text fw={600} truncate="end" maw={220} data-testid="ca-name-cell">
                {authority.name}
              </Text>
            </Tooltip>
            <AuthorityKindBadge kind={authority.kind} />
            <AuthorityStateBadge authority={authority} />
          </Group>
          {parentName && (
            <Text size="xs" c="dimmed" truncate="end" maw={260}>
              signed by {parentName}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Tooltip
          label={authority.subject}
          multiline
          maw={420}
          style={{ fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' }}
        >
          <Text size="sm" ff="monospace" truncate="end" maw={240} data-testid="ca-subject-cell">
            {authority.subject}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {keyTypeLabel(authority.keyType)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {formatDate(authority.notBefore)} → {formatDate(authority.notAfter)}
        </Text>
        <Text size="xs" c={EXPIRY_COLOR[expiry.tone]} data-testid="ca-expiry">
          {expiry.text}
        </Text>
      </Table.Td>
      <Table.Td>
        <CrlCell authority={authority} />
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          <Tooltip
            label={fingerprint}
            multiline
            maw={360}
            style={{ fontFamily: 'var(--mantine-font-family-monospace)', wordBreak: 'break-all' }}
          >
            <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }} aria-label={`SHA-256 ${fingerprint}`}>
              {shortFingerprint(authority.sha256Hex)}
            </Text>
          </Tooltip>
          <CopyValueButton value={fingerprint} label="SHA-256 fingerprint" testId="ca-copy-fingerprint" />
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
