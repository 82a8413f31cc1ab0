import { Badge, Group, Stack, Text } from '@mantine/core';
import type { SanEntry } from '../../../../shared/contract/index.ts';
import { CopyValueButton } from '../../components/CopyValueButton.tsx';
import { DetailField } from '../../components/DetailField.tsx';

const TYPE_LABEL: Record<SanEntry['type'], string> = { dns: 'DNS', uri: 'URI', email: 'email' };

/** Subject alternative names, one copyable line each, plus the whole list in OpenSSL's `DNS:a, URI:b` form. */
export function SanList({ sans }: { sans: SanEntry[] }) {
  const all = sans.map((san) => `${TYPE_LABEL[san.type]}:${san.value}`).join(', ');
  return (
    <DetailField label="Subject alternative names" copyable={sans.length > 0} copyValue={all} testId="cert-detail-sans">
      {sans.length === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        <Stack gap={4}>
          {sans.map((san, index) => (
            <Group key={`${san.type}:${san.value}:${index}`} gap="xs" wrap="nowrap" data-testid="cert-san" data-san-type={san.type}>
              <Badge size="sm" variant="outline" color="gray" w={56} style={{ flexShrink: 0 }}>
                {TYPE_LABEL[san.type]}
              </Badge>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all', flex: 1 }}>
                {san.value}
              </Text>
              <CopyValueButton value={san.value} label={`${TYPE_LABEL[san.type]} name ${san.value}`} />
            </Group>
          ))}
        </Stack>
      )}
    </DetailField>
  );
}
