import { Anchor, Divider, Group, SimpleGrid, Text } from '@mantine/core';
import { IconArrowLeft, IconArrowRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { CertificateDetail } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';

interface Props {
  certificate: CertificateDetail;
  onOpenCertificate: (id: string) => void;
}

/** Renewals form a chain; each link opens that certificate in the same panel. */
export function CertificateLineage({ certificate, onOpenCertificate }: Props) {
  return (
    <>
      <Divider label="Lineage" labelPosition="left" />
      <SimpleGrid cols={{ base: 1, sm: 2 }} data-testid="cert-lineage">
        <LineageLink
          label="Replaces"
          id={certificate.replacesId}
          icon={<IconArrowLeft size={14} aria-hidden />}
          none="Nothing: first of its line."
          onOpen={onOpenCertificate}
          testId="cert-replaces"
        />
        <LineageLink
          label="Replaced by"
          id={certificate.replacedById}
          icon={<IconArrowRight size={14} aria-hidden />}
          none="Not renewed yet."
          onOpen={onOpenCertificate}
          testId="cert-replaced-by"
        />
      </SimpleGrid>
    </>
  );
}

interface LinkProps {
  label: string;
  id: string | null;
  icon: ReactNode;
  none: string;
  onOpen: (id: string) => void;
  testId: string;
}

function LineageLink({ label, id, icon, none, onOpen, testId }: LinkProps) {
  return (
    <DetailField label={label} copyable={id !== null} copyValue={id ?? undefined}>
      {id ? (
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => onOpen(id)}
          data-testid={testId}
          data-cert-id={id}
          aria-label={`${label} certificate ${id}: open it`}
        >
          <Group gap={4} wrap="nowrap">
            {icon}
            <Text span size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
              {id}
            </Text>
          </Group>
        </Anchor>
      ) : (
        <Text size="sm" c="dimmed">
          {none}
        </Text>
      )}
    </DetailField>
  );
}
