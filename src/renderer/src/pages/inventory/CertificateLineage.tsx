import { Anchor, Divider, Group, SimpleGrid, Text } from '@mantine/core';
import { IconArrowLeft, IconArrowRight } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { CertificateDetail, LineageLink } from '../../../../shared/contract/index.ts';
import { DetailField } from '../../components/DetailField.tsx';
import { colonHex } from '../../format/fingerprint.ts';

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
        <LineageLinkField
          label="Replaces"
          link={certificate.replaces}
          icon={<IconArrowLeft size={14} aria-hidden />}
          none="Nothing: first of its line."
          onOpen={onOpenCertificate}
          testId="cert-replaces"
        />
        <LineageLinkField
          label="Replaced by"
          link={certificate.replacedBy}
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
  link: LineageLink | null;
  icon: ReactNode;
  none: string;
  onOpen: (id: string) => void;
  testId: string;
}

/** The serial and subject the operator knows the certificate by; the internal id only travels in data-cert-id. */
function LineageLinkField({ label, link, icon, none, onOpen, testId }: LinkProps) {
  const serial = link ? colonHex(link.serialHex) : '';
  return (
    <DetailField label={label} copyable={link !== null} copyValue={link ? serial : undefined}>
      {link ? (
        <Anchor
          component="button"
          type="button"
          size="sm"
          onClick={() => onOpen(link.id)}
          data-testid={testId}
          data-cert-id={link.id}
          aria-label={`${label} certificate ${link.subject}, serial ${serial}: open it`}
          style={{ textAlign: 'left' }}
        >
          <Group gap={4} wrap="nowrap" align="flex-start">
            {icon}
            <div style={{ minWidth: 0 }}>
              <Text span size="sm" style={{ wordBreak: 'break-word', display: 'block' }} data-testid={`${testId}-subject`}>
                {link.subject}
              </Text>
              <Text
                span
                size="xs"
                ff="monospace"
                c="dimmed"
                style={{ wordBreak: 'break-all', display: 'block' }}
                data-testid={`${testId}-serial`}
              >
                Serial {serial}
              </Text>
            </div>
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
