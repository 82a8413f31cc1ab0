import { Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CsrView } from '../../../../../shared/contract/index.ts';
import { keyTypeLabel } from '../../../format/key-type.ts';
import { useCall } from '../../../state/use-call.ts';

interface Props {
  /** The CSR as it would be sent (PEM, or base64 DER); empty while nothing is pasted. */
  csr: string;
  disabled: boolean;
  /** Main's refusal of the CSR, shown on the CSR field itself (one place for it, before and after submitting). */
  onRefused: (message: string, csr: string) => void;
  /** Main has answered for this CSR (a preview, or a refusal): until then the form does not sign it. */
  onSettled: (csr: string, ok: boolean) => void;
  /** Present when the operator may copy the CSR's subject into the fields (the profile lets them type it). */
  onUseSubject?: (view: CsrView) => void;
}

/**
 * What the CSR asks for, read by main and shown read-only. The CSR's subject is the requester's
 * claim: it reaches the certificate only through the operator's fields (or, for a profile that
 * copies it, by the operator submitting after reading it here).
 */
export function CsrPreview({ csr, disabled, onRefused, onSettled, onUseSubject }: Props) {
  const call = useCall();
  const [state, setState] = useState<{ csr: string; view: CsrView | null } | null>(null);

  useEffect(() => {
    if (!csr) return;
    let current = true;
    void call('certs:inspect-csr', { csr }).then((result) => {
      if (!current) return;
      setState({ csr, view: result.ok ? result.value : null });
      if (!result.ok) onRefused(result.error.message, csr);
      onSettled(csr, result.ok);
    });
    return () => {
      current = false;
    };
  }, [call, csr, onRefused, onSettled]);

  if (!csr || state?.csr !== csr) return null;
  const view = state.view;
  if (!view) return null;
  return (
    <Paper withBorder p="sm" data-testid="issue-csr-preview">
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          The CSR asks for (read this before you sign)
        </Text>
        <Text size="sm">
          Subject: <Code data-testid="issue-csr-subject">{view.subject || '(empty)'}</Code>
        </Text>
        <Text size="sm">
          SANs: <Code data-testid="issue-csr-sans">{view.sans.map((san) => `${san.type}:${san.value}`).join(', ') || '(none)'}</Code>
        </Text>
        <Text size="sm">
          Key: <Code data-testid="issue-csr-key">{keyTypeLabel(view.keyType)}</Code>
        </Text>
        <Text size="sm" data-testid="issue-csr-signature" data-verified="true">
          Signature: <Code>{view.signatureAlgorithm}</Code> verified: the requester holds this key.
        </Text>
        <Text size="xs" c="dimmed">
          {view.otherAttributes.length > 0 && `Other subject attributes (${view.otherAttributes.join(', ')}) are not copied. `}The
          certificate gets the subject you give below; the CSR&apos;s SANs are used unless you add SANs.
        </Text>
        {onUseSubject && (
          <Group>
            <Button size="xs" variant="light" disabled={disabled} onClick={() => onUseSubject(view)} data-testid="issue-use-csr-subject">
              Use the CSR&apos;s subject
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
