import { SimpleGrid, Text, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { SanEditor } from './SanEditor.tsx';
import { MAX_NAME, newSanRow, type IssueValues } from './issue-form.ts';

interface Props {
  form: UseFormReturnType<IssueValues>;
  busy: boolean;
  focusField: (field: string) => void;
}

/** The subject (CN, O, OU, C) and SANs the operator gives, in both modes (a CSR's subject only fills them on request). */
export function SubjectFields({ form, busy, focusField }: Props) {
  const { values, errors } = form;
  return (
    <>
      {values.mode === 'csr' && (
        <Text size="sm" c="dimmed">
          The certificate gets the subject you give here, never the CSR&apos;s unasked. SANs you add replace the CSR&apos;s.
        </Text>
      )}
      <TextInput
        label="Common name (CN)"
        placeholder="payments-api.client.example.com"
        withAsterisk
        maxLength={MAX_NAME}
        disabled={busy}
        data-autofocus
        data-testid="issue-cn"
        {...form.getInputProps('commonName')}
      />
      <SimpleGrid cols={{ base: 1, xs: 3 }}>
        <TextInput
          label="Organization (O)"
          maxLength={MAX_NAME}
          disabled={busy}
          data-testid="issue-o"
          {...form.getInputProps('organization')}
        />
        <TextInput
          label="Org. unit (OU)"
          maxLength={MAX_NAME}
          disabled={busy}
          data-testid="issue-ou"
          {...form.getInputProps('organizationalUnit')}
        />
        <TextInput
          label="Country (C)"
          placeholder="US"
          description="Two letters (ISO 3166), such as US or DE"
          // No maxLength: "USA" is refused with a message rather than cut to "US".
          autoCapitalize="characters"
          disabled={busy}
          data-testid="issue-c"
          {...form.getInputProps('country')}
          onChange={(event) => form.setFieldValue('country', event.currentTarget.value.toUpperCase())}
        />
      </SimpleGrid>
      <SanEditor
        rows={values.sans}
        errorAt={(index) => errors[`sans.${index}.value`] as string | undefined}
        listError={errors.sans as string | undefined}
        disabled={busy}
        onAdd={() => {
          form.insertListItem('sans', newSanRow());
          // Focus the new value field once it exists.
          requestAnimationFrame(() => focusField(`sans.${values.sans.length}.value`));
        }}
        onRemove={(index) => form.removeListItem('sans', index)}
        onChange={(index, patch) => {
          form.setFieldValue(`sans.${index}`, { ...values.sans[index]!, ...patch });
          form.clearFieldError(`sans.${index}.value`);
          form.clearFieldError('sans');
        }}
      />
    </>
  );
}
