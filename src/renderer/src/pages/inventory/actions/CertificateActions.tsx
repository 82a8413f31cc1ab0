import { Button, Group, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan, IconDownload, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { CertificateDetail } from '../../../../../shared/contract/index.ts';
import { formatDate } from '../../../format/validity.ts';
import { useRoleAbilities } from '../../../state/role.ts';
import { ExportModal } from './ExportModal.tsx';
import { RenewModal } from './RenewModal.tsx';
import { RevokeModal } from './RevokeModal.tsx';
import { renewability } from './renew-rules.ts';

type Dialog = 'renew' | 'revoke' | 'export';

interface Props {
  certificate: CertificateDetail;
  onRenewed: (renewed: CertificateDetail) => void;
  onRevoked: (revoked: CertificateDetail) => void;
}

export function CertificateActions({ certificate, onRenewed, onRevoked }: Props) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  // Every opening starts a fresh dialog; an error keeps what was typed until it is closed.
  const [session, setSession] = useState(0);
  const rules = renewability(certificate);
  // A publisher renews through the signer (a transfer bundle), never here.
  const { caKey } = useRoleAbilities();
  // certdesk revokes only what its own authorities signed; an imported certificate is revoked at its CA.
  const revokeBlocked =
    certificate.status === 'revoked'
      ? 'Already revoked'
      : certificate.authorityId === null
        ? `Not issued by a certdesk authority: revoke it at ${certificate.issuerName}.`
        : null;

  const open = (which: Dialog) => {
    setSession((value) => value + 1);
    setDialog(which);
  };
  const close = () => setDialog(null);
  const name = certificate.commonName ?? certificate.subject;

  return (
    <Group gap="sm" data-testid="cert-actions">
      {caKey && (
        <Tooltip label={rules.blocked ?? 'Issue a successor and mark this one superseded'} multiline maw={320}>
          {/* A disabled button gets no pointer or focus events; the wrapper keeps its explanation reachable. */}
          <span tabIndex={rules.blocked ? 0 : -1} style={{ display: 'inline-block' }}>
            <Button
              leftSection={<IconRefresh size={18} />}
              onClick={() => open('renew')}
              disabled={rules.blocked !== null}
              style={rules.blocked ? { pointerEvents: 'none' } : undefined}
              data-testid="cert-renew"
            >
              Renew
            </Button>
          </span>
        </Tooltip>
      )}
      <Button variant="default" leftSection={<IconDownload size={18} />} onClick={() => open('export')} data-testid="cert-export">
        Export
      </Button>
      <Tooltip label={revokeBlocked ?? 'Put it on the CRL: permanent'} multiline maw={320}>
        <span tabIndex={revokeBlocked ? 0 : -1} style={{ display: 'inline-block' }}>
          <Button
            variant="light"
            color="red"
            leftSection={<IconBan size={18} />}
            onClick={() => open('revoke')}
            disabled={revokeBlocked !== null}
            style={revokeBlocked ? { pointerEvents: 'none' } : undefined}
            data-testid="cert-revoke"
          >
            Revoke
          </Button>
        </span>
      </Tooltip>

      <RenewModal
        key={`renew-${certificate.id}-${session}`}
        opened={dialog === 'renew'}
        certificate={certificate}
        rules={rules}
        onClose={close}
        onRenewed={(renewed) => {
          close();
          notifications.show({
            color: 'teal',
            title: `Renewed ${name}`,
            message: `New certificate valid until ${formatDate(renewed.notAfter)}; the old one is superseded.`,
          });
          onRenewed(renewed);
        }}
      />
      <RevokeModal
        key={`revoke-${certificate.id}-${session}`}
        opened={dialog === 'revoke'}
        certificate={certificate}
        onClose={close}
        onRevoked={(updated) => {
          close();
          notifications.show({
            color: 'red',
            title: `Revoked ${name}`,
            message: 'It goes on the next CRL of its authority: generate and publish one.',
          });
          onRevoked(updated);
        }}
      />
      <ExportModal key={`export-${certificate.id}-${session}`} opened={dialog === 'export'} certificate={certificate} onClose={close} />
    </Group>
  );
}
