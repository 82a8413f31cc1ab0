import { Button, Divider, Drawer, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import type { AuthorityView } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { downloadText, safeFileName } from '../../format/download.ts';
import { colonHex } from '../../format/fingerprint.ts';
import { keyTypeLabel } from '../../format/key-type.ts';
import { EXPIRY_COLOR, describeExpiry, formatDateTime } from '../../format/validity.ts';
import { AuthorityKindBadge } from './AuthorityKindBadge.tsx';
import { AuthorityLifecycle } from './AuthorityLifecycle.tsx';
import { AuthorityStateBadge } from './AuthorityState.tsx';
import { AuthorityUrlsForm } from './AuthorityUrlsForm.tsx';
import { useOpenedAfterMount } from '../../state/use-opened-after-mount.ts';
import { CrlSection } from './CrlSection.tsx';

interface Props {
  opened: boolean;
  /** Kept after closing so the panel does not empty itself while it slides out. */
  authority: AuthorityView | null;
  parentName: string | null;
  onClose: () => void;
}

function pathLengthText(authority: AuthorityView): string {
  if (authority.pathLength === null) return 'unlimited';
  if (authority.pathLength === 0) return '0 (signs end-entity certificates only)';
  return `${authority.pathLength} (may sign ${authority.pathLength} level${authority.pathLength === 1 ? '' : 's'} of CA below it)`;
}

export function AuthorityDrawer({ opened, authority, parentName, onClose }: Props) {
  // A chunk of its own (AuthoritiesPage.tsx): a row opened before it was in mounts it open (see the hook).
  const shown = useOpenedAfterMount(opened && authority !== null);
  return (
    <Drawer
      opened={shown}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        authority && (
          // The title may not push the close button off-screen: a long name is cut here and shown whole below.
          <Group gap="sm" wrap="nowrap" miw={0}>
            <Text component="span" fw={700} size="xl" truncate="end" title={authority.name} miw={0} data-testid="ca-details-title">
              {authority.name}
            </Text>
            <AuthorityKindBadge kind={authority.kind} />
            <AuthorityStateBadge authority={authority} />
          </Group>
        )
      }
      attributes={{ content: { 'data-testid': 'ca-details' } }}
      styles={{ title: { minWidth: 0, flex: 1, overflow: 'hidden' }, close: { flexShrink: 0 } }}
    >
      {authority && <AuthorityDetails authority={authority} parentName={parentName} />}
    </Drawer>
  );
}

function AuthorityDetails({ authority, parentName }: { authority: AuthorityView; parentName: string | null }) {
  const expiry = describeExpiry(authority.notBefore, authority.notAfter);
  const fileName = `${safeFileName(authority.name)}.pem`;
  return (
    <Stack gap="lg">
      {parentName && (
        <Text size="sm" c="dimmed">
          Issuing CA signed by {parentName}.
        </Text>
      )}

      <DetailField label="Subject (RFC 4514)" value={authority.subject} copyable testId="ca-detail-subject" />
      <DetailField label="Auth0 / OpenSSL form" value={authority.subjectLines} block copyable testId="ca-detail-subject-lines" />
      <DetailField label="Issuer" value={authority.issuer} copyable />

      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <DetailField label="Valid from" value={formatDateTime(authority.notBefore)} copyable copyValue={authority.notBefore} mono={false} />
        <DetailField label="Valid to" value={formatDateTime(authority.notAfter)} copyable copyValue={authority.notAfter} mono={false}>
          <Text size="xs" c={EXPIRY_COLOR[expiry.tone]}>
            {expiry.text}
          </Text>
        </DetailField>
        <DetailField label="Key type" value={keyTypeLabel(authority.keyType)} mono={false} />
        <DetailField label="Path length" value={pathLengthText(authority)} mono={false} />
      </SimpleGrid>
      <DetailField label="Serial (hex)" value={authority.serialHex} copyable />

      <Divider label="Fingerprints" labelPosition="left" />
      <DetailField label="SHA-256" value={colonHex(authority.sha256Hex)} copyable testId="ca-detail-sha256" />
      <DetailField label="x5t#S256" value={authority.sha256Base64url} copyable testId="ca-detail-x5t" />
      <DetailField label="SHA-1" value={colonHex(authority.sha1Hex)} copyable />

      <Divider label="Certificate" labelPosition="left" />
      <DetailField label="PEM" value={authority.pem} block copyable testId="ca-detail-pem" />
      <Group>
        <Button
          variant="light"
          leftSection={<IconDownload size={18} />}
          onClick={() => downloadText(fileName, authority.pem)}
          data-testid="ca-download-pem"
        >
          Download .pem
        </Button>
        <Text size="xs" c="dimmed">
          Saves {fileName}: the certificate only, never the private key.
        </Text>
      </Group>

      <Divider label="Service" labelPosition="left" />
      <AuthorityLifecycle key={`lifecycle-${authority.id}`} authority={authority} parentName={parentName} />

      <Divider label="Distribution URLs" labelPosition="left" />
      {/* Keyed: a form filled for one authority must not linger when another is opened. */}
      <AuthorityUrlsForm key={`urls-${authority.id}`} authority={authority} />

      <Divider label="Revocation list" labelPosition="left" />
      {/* Keyed: a CRL shown for one authority must not linger when another is opened. */}
      <CrlSection key={authority.id} authority={authority} />

      <Text size="xs" c="dimmed">
        Added to certdesk {formatDateTime(authority.createdAt)} · id {authority.id}
      </Text>
    </Stack>
  );
}
