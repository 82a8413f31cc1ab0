import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';
import { Button, Group, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useRef, useState } from 'react';
import { CA_KEY_TYPES, type AuthorityKind, type AuthorityView, type Failure } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { caKeyTypeOptionLabel } from '../../format/key-type.ts';
import { formatDate } from '../../format/validity.ts';
import { useCall } from '../../state/use-call.ts';
import { useProgress } from '../../state/use-progress.ts';
import { CreateProgress } from './CreateProgress.tsx';
import {
  MAX_NAME,
  initialValues,
  isFormField,
  newProgressId,
  toCreateInput,
  validators,
  yearsLeft,
  type CreateAuthorityValues,
  type FormField,
} from './create-authority-form.ts';

const KEY_TYPE_OPTIONS = CA_KEY_TYPES.map((type) => ({ value: type, label: caKeyTypeOptionLabel(type) }));

const TEST_IDS: Record<FormField, string> = {
  name: 'ca-name',
  organization: 'ca-organization',
  country: 'ca-country',
  keyType: 'ca-key-type',
  years: 'ca-years',
  parent: 'ca-parent',
};

interface Props {
  kind: AuthorityKind;
  roots: AuthorityView[];
  onBusyChange: (busy: boolean) => void;
  onCancel: () => void;
  onCreated: (authority: AuthorityView) => void;
}

export function CreateAuthorityForm({ kind, roots, onBusyChange, onCancel, onCreated }: Props) {
  const call = useCall();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const tracker = useProgress(true, newProgressId);
  const form = useForm<CreateAuthorityValues>({
    mode: 'controlled',
    initialValues: initialValues(kind, roots),
    validate: validators(kind, roots),
    validateInputOnBlur: true,
  });

  const focusWhenIdle = useFocusWhenIdle(formRef, busy);
  const focusField = (field: FormField) => focusWhenIdle(TEST_IDS[field]);

  const setWorking = (value: boolean) => {
    setBusy(value);
    onBusyChange(value);
  };

  const submit = async (values: CreateAuthorityValues) => {
    setFailure(null);
    const progressId = tracker.begin();
    setWorking(true);
    const result = await call('ca:create', toCreateInput(kind, values, progressId));
    tracker.end();
    if (result.ok) {
      onCreated(result.value);
      return;
    }
    setWorking(false);
    const { field } = result.error;
    if (isFormField(field)) {
      form.setFieldError(field, result.error.message);
      focusField(field);
    } else {
      setFailure(result.error);
    }
  };

  const onInvalid = (errors: Partial<Record<string, unknown>>) => {
    const first = (Object.keys(TEST_IDS) as FormField[]).find((field) => errors[field]);
    if (first) focusField(first);
  };

  const parent = roots.find((root) => root.id === form.values.parent);
  const left = yearsLeft(parent);
  const rootOptions = roots.map((root) => ({
    value: root.id,
    label: root.name,
    disabled: Date.parse(root.notAfter) <= Date.now(),
  }));

  return (
    <form ref={formRef} onSubmit={form.onSubmit((values) => void submit(values), onInvalid)} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {kind === 'root'
            ? 'A root CA signs itself. Relying parties trust it directly, so keep it for signing issuing CAs only.'
            : 'An issuing CA is signed by a root and signs the client certificates; rotate it more often than the root.'}
        </Text>

        <TextInput
          label="Name"
          description={`Becomes the subject common name (CN), at most ${MAX_NAME} characters.`}
          placeholder={kind === 'root' ? 'Acme Root CA' : 'Acme Issuing CA 1'}
          withAsterisk
          disabled={busy}
          data-autofocus
          data-testid="ca-name"
          {...form.getInputProps('name')}
        />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput
            label="Organization"
            description="Optional (O)."
            placeholder="Acme Corp"
            disabled={busy}
            data-testid="ca-organization"
            {...form.getInputProps('organization')}
          />
          <TextInput
            label="Country"
            description="Optional, two letters (C)."
            placeholder="US"
            maxLength={2}
            autoCapitalize="characters"
            disabled={busy}
            data-testid="ca-country"
            {...form.getInputProps('country')}
            onChange={(event) => form.setFieldValue('country', event.currentTarget.value.toUpperCase())}
          />
        </SimpleGrid>
        {kind === 'issuing' && (
          <Select
            label="Parent"
            description="The root CA that signs this one."
            data={rootOptions}
            allowDeselect={false}
            withAsterisk
            disabled={busy}
            data-testid="ca-parent"
            {...form.getInputProps('parent')}
          />
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <Select
            label="Key type"
            data={KEY_TYPE_OPTIONS}
            allowDeselect={false}
            disabled={busy}
            data-testid="ca-key-type"
            {...form.getInputProps('keyType')}
          />
          <NumberInput
            label="Validity in years"
            description={
              kind === 'issuing' && parent
                ? `The parent expires on ${formatDate(parent.notAfter)}${left !== null && left >= 1 ? ` (at most ${left})` : ''}.`
                : undefined
            }
            min={1}
            max={30}
            allowDecimal={false}
            allowNegative={false}
            clampBehavior="none"
            disabled={busy}
            data-testid="ca-years"
            {...form.getInputProps('years')}
          />
        </SimpleGrid>

        {busy && <CreateProgress progress={tracker.progress} />}

        {/* Beside the action, not at the top of a dialog the operator may have scrolled past. */}
        {failure && (
          <ErrorAlert title="The authority was not created" data-testid="ca-create-error" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}

        <Group justify="flex-end" mt="xs">
          {/* No focus move on press: a blur check on the field above would add a message and shift this button from under the pointer. */}
          <Button
            variant="default"
            onClick={onCancel}
            onMouseDown={(event) => event.preventDefault()}
            disabled={busy}
            data-testid="ca-cancel"
          >
            Cancel
          </Button>
          <Button type="submit" loading={busy} data-testid="ca-submit">
            {kind === 'root' ? 'Create root CA' : 'Create issuing CA'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
