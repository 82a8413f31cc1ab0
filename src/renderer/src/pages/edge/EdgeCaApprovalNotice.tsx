import { Alert, Button, Code, Group, Stack, Text } from '@mantine/core';
import { IconShieldLock, IconShieldMinus } from '@tabler/icons-react';
import type { AuthorityView, EdgeConfigView } from '../../../../shared/contract/index.ts';
import { approvedChoice, caSetChange } from './edge-ca-approval.ts';

interface Props {
  config: EdgeConfigView | undefined;
  chosen: readonly string[];
  issuing: AuthorityView[];
  /** The CLI command that approves the typed settings with the chosen CAs. */
  command: string;
  onUseApproved: (ids: string[]) => void;
}

const quoted = (names: string[]) => names.map((name) => `"${name}"`).join(', ');

/**
 * Whether the chosen issuing CAs are within the set the operator approved, said before publishing: a CA
 * outside it (one from a paired signer or an import, say) reaches nginx only with the operator's approval;
 * a narrower set only removes trust.
 */
export function EdgeCaApprovalNotice({ config, chosen, issuing, command, onUseApproved }: Props) {
  if (!config?.approved || chosen.length === 0) return null;
  const { added, removed } = caSetChange(chosen, config.approvedCas);
  const nameOf = (id: string) => issuing.find((ca) => ca.id === id)?.name ?? id;
  const approvedNames = (config.approvedCas?.authorities ?? []).map((ca) => ca.name ?? 'a CA no longer in certdesk');
  const choice = approvedChoice(config.approvedCas, issuing);
  if (added.length > 0)
    return (
      <Alert color="orange" variant="light" icon={<IconShieldLock />} title="Not the approved issuing CAs" data-testid="edge-ca-unapproved">
        <Stack gap={6}>
          <Text size="sm">
            {quoted(added.map(nameOf))} {added.length === 1 ? 'is' : 'are'} not among the issuing CAs the operator approved for the edge
            {approvedNames.length > 0 ? ` (${quoted(approvedNames)})` : ' (none yet)'}. The edge would accept every client certificate{' '}
            {added.length === 1 ? 'it issues' : 'they issue'}, so adding a CA needs the operator.
          </Text>
          {config.canApprove ? (
            <Text size="sm">Publishing asks you to approve the set in a dialog that shows each CA&apos;s fingerprint.</Text>
          ) : (
            <>
              <Text size="sm">Web mode cannot approve it. To approve these settings with exactly these CAs, run on this machine:</Text>
              <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }} data-testid="edge-ca-approve-command">
                {command}
              </Code>
            </>
          )}
          {choice.length > 0 && (
            <Group>
              <Button size="xs" variant="default" onClick={() => onUseApproved(choice)} data-testid="edge-ca-use-approved">
                Use the approved CAs
              </Button>
            </Group>
          )}
        </Stack>
      </Alert>
    );
  if (removed.length === 0) return null;
  return (
    <Alert color="blue" variant="light" icon={<IconShieldMinus />} title="Fewer issuing CAs than approved" data-testid="edge-ca-narrower">
      <Text size="sm">
        The edge will no longer trust {quoted(removed.map((ca) => ca.name ?? 'a CA no longer in certdesk'))}.{' '}
        {config.canApprove
          ? 'Publishing asks you to approve the narrower set in a dialog.'
          : 'This only removes trust, so it needs no approval; the approved set stays as the operator left it.'}
      </Text>
    </Alert>
  );
}
