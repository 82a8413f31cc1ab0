import { useState } from 'react';
import type { BindingView, TenantView } from '../../../../shared/contract/index.ts';
import { ChoiceModal, type Choice } from '../../components/ChoiceModal.tsx';
import { deferIntent, useCommandIntent } from '../../state/command-intent.ts';
import { rememberedTenant } from '../../state/tenant-choice.ts';
import { formatDate } from '../../format/validity.ts';
import { ENVIRONMENT_LABEL } from '../tenants/tenant-environment.ts';
import type { RunRequest } from './RunForm.tsx';

interface Props {
  tenant: TenantView;
  tenants: readonly TenantView[];
  chooseTenant: (id: string) => void;
  /** The tenant's active bindings, newest first. */
  bindings: readonly BindingView[];
  clientNames: ReadonlyMap<string, string>;
  /** The bindings are read and nothing runs: the request waits until then. */
  ready: boolean;
  onRun: (request: RunRequest) => void;
  /** Nothing is bound on the tenant: the form says so on its application field. */
  onNothingBound: (message: string) => void;
}

type Question = { kind: 'tenant'; choices: Choice[] } | { kind: 'binding'; choices: Choice[] };

/**
 * "Run diagnostics" from the command palette: the flight check for the chosen (or only) tenant and its
 * only bound certificate, at once; with several, it asks which, tenant first.
 */
export function PaletteFlightCheck({ tenant, tenants, chooseTenant, bindings, clientNames, ready, onRun, onNothingBound }: Props) {
  const [question, setQuestion] = useState<Question | null>(null);

  const forBinding = () => {
    if (bindings.length === 0) {
      onNothingBound(`No certificate is bound on ${tenant.name}: choose the application and the certificate to test with, then run.`);
      return;
    }
    if (bindings.length === 1) {
      onRun({ clientId: bindings[0]!.clientId, cert: bindings[0]!.certificateId });
      return;
    }
    setQuestion({
      kind: 'binding',
      choices: bindings.map((binding) => ({
        value: binding.id,
        label: `${clientNames.get(binding.clientId) ?? 'Application'} · ${binding.clientId}`,
        detail: `${binding.subject} · until ${formatDate(binding.notAfter)}`,
      })),
    });
  };

  useCommandIntent(
    'run-diagnostics',
    () => {
      // A tenant counts as chosen once the operator picked it on this page or Bindings; the only one needs no choice.
      if (tenants.length > 1 && rememberedTenant() === null)
        setQuestion({
          kind: 'tenant',
          choices: tenants.map((t) => ({ value: t.id, label: t.name, detail: `${ENVIRONMENT_LABEL[t.environment]} · ${t.domain}` })),
        });
      else forBinding();
    },
    ready,
  );

  const choose = (value: string) => {
    const asked = question;
    setQuestion(null);
    if (asked?.kind === 'binding') {
      const binding = bindings.find((b) => b.id === value);
      if (binding) onRun({ clientId: binding.clientId, cert: binding.certificateId });
      return;
    }
    if (value === tenant.id) {
      chooseTenant(value);
      forBinding();
      return;
    }
    // Another tenant's workspace mounts and takes the request, asking only for its binding now.
    deferIntent('run-diagnostics');
    chooseTenant(value);
  };

  return (
    <ChoiceModal
      opened={question !== null}
      title={question?.kind === 'tenant' ? 'Run the flight check on which tenant?' : 'Run the flight check for which certificate?'}
      description={
        question?.kind === 'tenant'
          ? 'Several tenants are set up; nothing changes on the one you choose.'
          : `Several certificates are bound on ${tenant.name}. The check requests tokens with the one you choose.`
      }
      choices={question?.choices ?? []}
      onChoose={choose}
      onClose={() => setQuestion(null)}
      testId="diagnostics-palette-choice"
    />
  );
}
