import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import type { TenantPlan, TenantView } from '../../../../shared/contract/index.ts';
import { GuardedModal } from '../../components/GuardedModal.tsx';
import { TenantEnvironmentBadge } from '../tenants/TenantEnvironmentBadge.tsx';
import { TenantNameConfirm } from '../../components/TenantNameConfirm.tsx';
import { tenantNameError } from '../../state/use-confirmed-action.ts';

interface Props {
  tenant: TenantView;
  opened: boolean;
  /** The plan on screen, if any and current: what apply is expected to do. */
  plan: TenantPlan | null;
  onClose: () => void;
  onConfirm: (confirm: string) => void;
}

/** Apply to a production tenant: its name typed again before anything is sent. */
export function ApplyConfirmModal({ tenant, opened, plan, onClose, onConfirm }: Props) {
  const form = useForm({
    mode: 'controlled',
    initialValues: { confirm: '' },
    validateInputOnChange: ['confirm'],
    validate: { confirm: (value) => tenantNameError(tenant.name, value) },
  });
  const { confirm } = form.getValues();
  const matches = confirm === tenant.name;

  const close = () => {
    form.reset();
    onClose();
  };

  return (
    <GuardedModal
      opened={opened}
      busy={false}
      onClose={close}
      size="lg"
      title="Apply to a production tenant?"
      testId="apply-confirm-dialog"
      contentAttributes={{ 'data-tenant-env': tenant.environment }}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!matches) return;
          form.reset();
          onConfirm(confirm);
        }}
      >
        <Stack>
          <Group gap="xs">
            <Text fw={600}>{tenant.name}</Text>
            <TenantEnvironmentBadge environment={tenant.environment} />
          </Group>
          <Alert color="red" variant="light" icon={<IconAlertTriangle />}>
            Apply reads the tenant again and changes its applications so they match the bindings
            {plan
              ? `: ${plan.steps.length === 0 ? 'the last plan showed no changes' : `the last plan showed ${plan.steps.length} change${plan.steps.length === 1 ? '' : 's'}`}`
              : ''}
            . Clients using these applications are affected at once.
          </Alert>
          <TenantNameConfirm
            tenant={tenant}
            value={confirm}
            onChange={(value) => form.setFieldValue('confirm', value)}
            error={(form.errors.confirm as string | undefined) ?? null}
            disabled={false}
            testId="apply-confirm-input"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" color="red" disabled={!matches} data-testid="apply-confirm-submit">
              Apply to {tenant.name}
            </Button>
          </Group>
        </Stack>
      </form>
    </GuardedModal>
  );
}
