import { Button, Group, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AuthorityView, CertificateDetail, Failure, KeyType, ProfileView } from '../../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { OperationProgress } from '../../../components/OperationProgress.tsx';
import { PemInput, pemInputPayload } from '../../../components/PemInput.tsx';
import { extendedKeyUsageLabel } from '../../../format/extended-key-usage.ts';
import { keyTypeLabel } from '../../../format/key-type.ts';
import { formatDate } from '../../../format/validity.ts';
import { useCall } from '../../../state/use-call.ts';
import { useProgress } from '../../../state/use-progress.ts';
import { newProgressId } from '../../authorities/create-authority-form.ts';
import { CsrPreview } from './CsrPreview.tsx';
import { IssueTemplateBar } from './IssueTemplateBar.tsx';
import { SubjectFields } from './SubjectFields.tsx';
import {
  formFieldFor,
  initialIssueValues,
  subjectEditable,
  testIdFor,
  toIssueInput,
  validateIssue,
  withCsrSubject,
  withTemplate,
  type IssueMode,
  type IssueValues,
} from './issue-form.ts';

interface Props {
  profiles: ProfileView[];
  issuing: AuthorityView[];
  onBusyChange: (busy: boolean) => void;
  onCancel: () => void;
  onIssued: (certificate: CertificateDetail) => void;
}

export function IssueForm({ profiles, issuing, onBusyChange, onCancel, onIssued }: Props) {
  const call = useCall();
  const formRef = useRef<HTMLFormElement>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const tracker = useProgress(true, newProgressId);
  const csrRefusal = useRef<{ csr: string; message: string } | null>(null);
  const form = useForm<IssueValues>({
    mode: 'controlled',
    initialValues: initialIssueValues(profiles, issuing),
    validate: (values) => {
      const errors = validateIssue(
        values,
        profiles.find((profile) => profile.name === values.profile),
      );
      // Main already refused this CSR: say so on its field rather than only asking for the rest.
      const refusal = csrRefusal.current;
      if (values.mode === 'csr' && refusal && refusal.csr === pemInputPayload(values.csr)) errors.csr = refusal.message;
      return errors;
    },
    validateInputOnBlur: true,
  });
  const { values, setFieldError } = form;
  const csrRefused = useCallback(
    (message: string, csr: string) => {
      csrRefusal.current = { csr, message };
      setFieldError('csr', message);
    },
    [setFieldError],
  );
  // The CSR main last answered for, and whether it could be read: a CSR is signed only after its preview.
  const [settled, setSettled] = useState<{ csr: string; ok: boolean } | null>(null);
  const csrSettled = useCallback((csr: string, ok: boolean) => setSettled({ csr, ok }), []);
  const csrPayload = pemInputPayload(values.csr);
  // Empty (or a private key, which is never sent): submitting only shows the field's error. A refused CSR
  // may be submitted too, to put its refusal on the field; nothing reaches main until the preview was shown.
  const awaitingPreview = values.mode === 'csr' && csrPayload !== '' && settled?.csr !== csrPayload;
  const profile = profiles.find((candidate) => candidate.name === values.profile);
  const editable = subjectEditable(values, profile);

  const focusField = (field: string) => {
    const target = testIdFor(field);
    if (!target) return;
    formRef.current?.querySelectorAll<HTMLElement>(`[data-testid="${target.testId}"]`)[target.nth]?.focus();
  };

  const [focusPending, setFocusPending] = useState<string | null>(null);
  useEffect(() => {
    if (focusPending === null || busy) return;
    focusField(focusPending);
    setFocusPending(null);
  }, [focusPending, busy]);

  const setWorking = (value: boolean) => {
    setBusy(value);
    onBusyChange(value);
  };

  const submit = async (submitted: IssueValues) => {
    setFailure(null);
    const progressId = tracker.begin();
    setWorking(true);
    const result = await call('certs:issue', toIssueInput(submitted, profile, progressId));
    tracker.end();
    if (result.ok) {
      onIssued(result.value);
      return;
    }
    setWorking(false);
    const field = formFieldFor(result.error.field, submitted.mode);
    if (field) {
      form.setFieldError(field, result.error.message);
      // The inputs are still disabled until the render that clears busy; focus once they are enabled.
      setFocusPending(field);
    } else {
      setFailure(result.error);
    }
  };

  const onInvalid = (errors: Record<string, unknown>) => {
    const order = ['profile', 'ca', 'csr', 'keyType', 'commonName', 'organization', 'organizationalUnit', 'country'];
    const first =
      order.find((field) => errors[field]) ??
      Object.keys(errors).find((field) => field.startsWith('sans.')) ??
      (errors.days ? 'days' : undefined);
    if (first) focusField(first);
  };

  const changeProfile = (name: string | null) => {
    const next = profiles.find((candidate) => candidate.name === name);
    form.setFieldValue('profile', name);
    if (!next) return;
    // Validity and key type are the profile's to bound: start from its defaults.
    form.setFieldValue('days', next.defaultDays);
    if (!values.keyType || !next.keyTypes.includes(values.keyType)) form.setFieldValue('keyType', next.defaultKeyType);
  };

  const profileOptions = profiles.map((candidate) => ({ value: candidate.name, label: candidate.name }));
  const caOptions = issuing.map((authority) => ({
    value: authority.id,
    label: authority.name,
    disabled: Date.parse(authority.notAfter) <= Date.now(),
  }));
  const ca = issuing.find((authority) => authority.id === values.ca);
  const keyOptions = (profile?.keyTypes ?? []).map((type) => ({
    value: type,
    label: keyTypeLabel(type) + (type === profile?.defaultKeyType ? ' (profile default)' : ''),
  }));

  return (
    <form ref={formRef} onSubmit={form.onSubmit((submitted) => void submit(submitted), onInvalid)} noValidate>
      <Stack gap="md">
        {failure && (
          <ErrorAlert title="The certificate was not issued" data-testid="issue-error" code={failure.code}>
            {failure.message}
          </ErrorAlert>
        )}

        <IssueTemplateBar
          values={values}
          busy={busy}
          onStart={(template) => {
            form.setValues(withTemplate(values, template, profiles, issuing));
            form.clearErrors();
          }}
        />

        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Profile"
            description={
              profile
                ? `${profile.description} EKU: ${profile.extendedKeyUsages.map(extendedKeyUsageLabel).join(', ') || 'none'}.`
                : undefined
            }
            data={profileOptions}
            allowDeselect={false}
            withAsterisk
            disabled={busy}
            data-testid="issue-profile"
            {...form.getInputProps('profile')}
            onChange={changeProfile}
          />
          <Select
            label="Issuing CA"
            description={ca ? `Valid until ${formatDate(ca.notAfter)}.` : 'The CA that signs the certificate.'}
            data={caOptions}
            allowDeselect={false}
            withAsterisk
            disabled={busy}
            data-testid="issue-ca"
            {...form.getInputProps('ca')}
          />
        </SimpleGrid>

        <SegmentedControl
          data={[
            { value: 'generate', label: 'Generate key' },
            { value: 'csr', label: 'Sign a CSR' },
          ]}
          value={values.mode}
          onChange={(mode) => {
            form.setFieldValue('mode', mode as IssueMode);
            // What is required differs by mode (the CN, the CSR): errors from the other mode no longer apply.
            form.clearErrors();
          }}
          disabled={busy}
          fullWidth
          aria-label="Where the key comes from"
          data-testid="issue-mode"
        />
        <Text size="xs" c="dimmed" mt={-8}>
          {values.mode === 'generate'
            ? 'certdesk generates the key and keeps it sealed; you can export it later as PKCS#12.'
            : 'The client keeps its key and sends a CSR; certdesk never sees the private key.'}
        </Text>

        {values.mode === 'csr' && (
          <PemInput
            label="Certificate request (CSR)"
            description="Drop a .csr, .pem, .req or .der file, choose one, or paste the PEM below. DER files are sent base64-encoded. Never paste the private key."
            value={values.csr}
            onChange={(csr) => {
              form.setFieldValue('csr', csr);
              form.clearFieldError('csr');
            }}
            error={form.errors.csr}
            disabled={busy}
            accept=".csr,.pem,.der,.req"
            allowDer
            placeholder={'-----BEGIN CERTIFICATE REQUEST-----\n…\n-----END CERTIFICATE REQUEST-----'}
            testId="issue-csr"
          />
        )}
        {values.mode === 'csr' && (
          <CsrPreview
            csr={csrPayload}
            disabled={busy}
            onRefused={csrRefused}
            onSettled={csrSettled}
            {...(editable
              ? {
                  onUseSubject: (view) => {
                    form.setValues(withCsrSubject(values, view.subjectFields));
                    form.clearErrors();
                  },
                }
              : {})}
          />
        )}

        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {values.mode === 'generate' && (
            <Select
              label="Key type"
              description={profile ? `Allowed by ${profile.name}.` : undefined}
              data={keyOptions}
              allowDeselect={false}
              withAsterisk
              disabled={busy}
              data-testid="issue-key-type"
              {...form.getInputProps('keyType')}
              onChange={(type) => form.setFieldValue('keyType', type as KeyType | null)}
            />
          )}
          <NumberInput
            label="Validity in days"
            description={profile ? `Default ${profile.defaultDays}, at most ${profile.maxDays}.` : undefined}
            // What is typed stays as typed (-1, 0, 1.5): the form refuses it with a message, never turns it into 1.
            clampBehavior="none"
            disabled={busy}
            data-testid="issue-days"
            {...form.getInputProps('days')}
          />
        </SimpleGrid>

        {values.mode === 'csr' && profile?.csrSubject === 'copy' && (
          <Text size="sm" c="dimmed" data-testid="issue-subject-from-csr">
            The {profile.name} profile takes the subject and names from the CSR as they are: read them above before you issue.
          </Text>
        )}
        {editable && <SubjectFields form={form} busy={busy} focusField={focusField} />}

        {busy && <OperationProgress progress={tracker.progress} testId="issue-progress" />}

        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          {values.mode === 'csr' ? (
            <Tooltip label="Waiting for the CSR's preview: read what it asks for before you sign it" disabled={!awaitingPreview}>
              <Button
                type="submit"
                loading={busy}
                disabled={awaitingPreview}
                data-testid="issue-submit"
                data-awaiting-preview={awaitingPreview || undefined}
              >
                Sign the CSR
              </Button>
            </Tooltip>
          ) : (
            <Button type="submit" loading={busy} data-testid="issue-submit">
              Issue certificate
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
