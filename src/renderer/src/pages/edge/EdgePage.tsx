import { Alert, Button, Group, Paper, Stack, Text, ThemeIcon, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconEye, IconInfoCircle, IconServer2, IconUpload } from '@tabler/icons-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  edgeCaList,
  type EdgePreview,
  type EdgePublishInput,
  type EdgePublishResult,
  type Failure,
  type TenantView,
} from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useAppData } from '../../state/app-data.tsx';
import { useCall } from '../../state/use-call.ts';
import { useChannelQuery, useInvalidateChannel } from '../../state/use-channel-query.ts';
import { EdgeApprovalNotice, EdgeFolderField } from './EdgeConfigPanel.tsx';
import { EdgeCaApprovalNotice } from './EdgeCaApprovalNotice.tsx';
import { approvedChoice } from './edge-ca-approval.ts';
import { issuingAuthorities } from '../inventory/issue/issue-form.ts';
import { EdgeHistory } from './EdgeHistory.tsx';
import { EdgePreviewPanel } from './EdgePreviewPanel.tsx';
import { EdgePublishResultView } from './EdgePublishResultView.tsx';
import { EdgeSettingsFields } from './EdgeSettingsFields.tsx';
import { PublishEdgeModal } from './PublishEdgeModal.tsx';
import {
  TEST_IDS,
  approveCommand,
  edgeCas,
  edgeFieldFor,
  initialEdgeValues,
  matchesApproved,
  rememberEdgeValues,
  toEdgeSettings,
  toPublishInput,
  validateEdge,
  withApprovedSettings,
  type EdgeField,
  type EdgeFormValues,
} from './edge-form.ts';
import { useFocusWhenIdle } from '../../state/use-focus-when-idle.ts';
import { useCommandIntent } from '../../state/command-intent.ts';
import { usePaletteRepublish } from './use-palette-republish.ts';
import { RepublishBlockedModal } from './RepublishBlockedModal.tsx';

const NO_TENANTS: TenantView[] = [];

/** The order errors are looked at when choosing the field to put the cursor on. */
const FIELD_ORDER = Object.keys(TEST_IDS) as EdgeField[];

export function EdgePage() {
  const { authorities: listed } = useAppData();
  const authorities = useMemo(() => (listed?.ok ? listed.value : []), [listed]);
  const issuing = useMemo(() => issuingAuthorities(authorities), [authorities]);
  // Without an issuing CA there is no workspace to take the palette's request: say why here, so it does not linger.
  useCommandIntent(
    'publish-edge',
    () => notifications.show({ color: 'red', title: 'Nothing to publish', message: 'The edge trusts an issuing CA: create one first.' }),
    listed !== undefined && issuing.length === 0,
  );

  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={2}>Edge</Title>
        <Text c="dimmed" size="sm">
          The customer edge: the nginx in front of your Auth0 custom domain that checks client certificates.
        </Text>
      </div>

      <Alert color="blue" variant="light" icon={<IconInfoCircle />} title="Auth0 keeps no CA chain" data-testid="edge-explainer">
        <Text size="sm">
          For mTLS client authentication, Auth0 trusts what its customer edge forwards. The edge checks each client certificate against the
          CA bundle and the CRLs published here, then forwards only <code>/oauth/token</code>, <code>/oauth/par</code> and{' '}
          <code>/userinfo</code> to the tenant, with the verified certificate in a header. So after creating or rotating a CA, and after
          every revocation, publish the bundle again.
        </Text>
      </Alert>

      {issuing.length === 0 ? <NoIssuingCa hasAuthorities={authorities.length > 0} /> : <EdgeWorkspace />}
    </Stack>
  );
}

function NoIssuingCa({ hasAuthorities }: { hasAuthorities: boolean }) {
  return (
    <Paper withBorder radius="lg" p="xl" data-testid="edge-empty">
      <Stack align="center" gap="sm" ta="center" maw={600} mx="auto">
        <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
          <IconServer2 size={32} />
        </ThemeIcon>
        <Title order={3} size="h3">
          No issuing CA to publish
        </Title>
        <Text c="dimmed">
          {hasAuthorities
            ? 'The edge trusts an issuing CA and its root. Create an issuing CA under your root on the Authorities page first.'
            : 'The edge trusts an issuing CA and its root. Create a root CA, then an issuing CA under it, on the Authorities page first.'}
        </Text>
      </Stack>
    </Paper>
  );
}

/** The form, its preview and publication, and the history; only shown once there is an issuing CA to trust. */
function EdgeWorkspace() {
  const call = useCall();
  const { authorities: listed } = useAppData();
  const authorities = useMemo(() => (listed?.ok ? listed.value : []), [listed]);
  const issuing = useMemo(() => issuingAuthorities(authorities), [authorities]);
  const formRef = useRef<HTMLFormElement>(null);

  // Read once: localStorage over the defaults.
  const [initialValues] = useState(() => initialEdgeValues(issuing));
  const form = useForm<EdgeFormValues>({
    mode: 'controlled',
    initialValues,
    validate: (values) => validateEdge(values, 'publish'),
    validateInputOnBlur: true,
  });

  // Remembered as typed, so leaving the page (or the app) loses nothing.
  useEffect(() => {
    rememberEdgeValues(form.values);
  }, [form.values]);

  const [previewing, setPreviewing] = useState(false);
  const [preview, setPreview] = useState<{ key: string; value: EdgePreview; several: boolean } | null>(null);
  const [previewFailure, setPreviewFailure] = useState<Failure | null>(null);

  const [publishInput, setPublishInput] = useState<EdgePublishInput | null>(null);
  const [confirmOpened, setConfirmOpened] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [publishFailure, setPublishFailure] = useState<Failure | null>(null);
  const [published, setPublished] = useState<{ result: EdgePublishResult; dir: string } | null>(null);
  // Opened from the command palette: Cancel first, and a missing approval is named instead of a form to fill.
  const [fromPalette, setFromPalette] = useState(false);
  const invalidate = useInvalidateChannel();
  // The operator's edge folder and approved settings: this page publishes only there, and (in web mode) only those.
  const { data: config, fresh: configFresh } = useChannelQuery('edge:config-show', {});
  const folder = config?.approved ? config.folder : null;
  const tenants = useChannelQuery('tenants:list', {}).data ?? NO_TENANTS;
  // The CA select starts from the approved set, once it is known: what the page may publish without the operator.
  // Only from an answer read for this visit: the operator may have approved another set (at the terminal) since the last.
  const choseApproved = useRef(false);
  useEffect(() => {
    if (choseApproved.current || !config || !configFresh) return;
    choseApproved.current = true;
    const approved = config.approved ? approvedChoice(config.approvedCas, issuing) : [];
    if (approved.length > 0) form.setFieldValue('ca', approved);
  }, [config, configFresh, issuing, form]);
  const palette = usePaletteRepublish({
    config,
    values: form.values,
    setValues: form.setValues,
    issuing,
    confirm: (input) => {
      setPublishFailure(null);
      setPublishInput(input);
      setFromPalette(true);
      setConfirmOpened(true);
    },
  });

  const previewKey = JSON.stringify({ ca: edgeCas(form.values), settings: toEdgeSettings(form.values) });

  const focusWhenIdle = useFocusWhenIdle(formRef, previewing || publishing);
  const focusField = (field: EdgeField) => focusWhenIdle(TEST_IDS[field]);

  /** Puts the errors on their fields and the cursor on the first; `true` when there were none. */
  const check = (scope: 'preview' | 'publish'): boolean => {
    const errors = validateEdge(form.values, scope);
    form.setErrors(errors);
    const first = FIELD_ORDER.find((field) => errors[field]);
    if (first) focusField(first);
    return first === undefined;
  };

  /** A server error about one field goes on it; `true` when it did. */
  const placeOnField = (failure: Failure): boolean => {
    const field = edgeFieldFor(failure.field);
    if (!field) return false;
    form.setFieldError(field, failure.message);
    focusField(field);
    return true;
  };

  const runPreview = async () => {
    if (!check('preview')) return;
    setPreviewFailure(null);
    setPreviewing(true);
    const key = previewKey;
    const result = await call('edge:preview', { ca: edgeCas(form.values), settings: toEdgeSettings(form.values) });
    setPreviewing(false);
    if (result.ok) setPreview({ key, value: result.value, several: form.values.ca.length > 1 });
    else if (!placeOnField(result.error)) setPreviewFailure(result.error);
  };

  const askPublish = () => {
    if (!check('publish')) return;
    setFromPalette(false);
    setPublishFailure(null);
    setPublishInput(toPublishInput(form.values));
    setConfirmOpened(true);
  };

  const publish = async () => {
    if (!publishInput) return;
    setPublishFailure(null);
    setPublishing(true);
    const result = await call('edge:publish', publishInput);
    setPublishing(false);
    if (!result.ok) {
      // A settings error closes the dialog and points at the field; a folder problem (field `dir`, shown in
      // the dialog) and anything else stay in the dialog to retry or cancel.
      if (result.error.field !== 'dir' && edgeFieldFor(result.error.field)) {
        setConfirmOpened(false);
        placeOnField(result.error);
      } else setPublishFailure(result.error);
      return;
    }
    setConfirmOpened(false);
    const dir = result.value.files[0]?.replace(/[\\/][^\\/]*$/, '') ?? folder ?? '';
    setPublished({ result: result.value, dir });
    void invalidate('edge:history');
    void invalidate('edge:config-show');
    const reload = result.value.reload;
    notifications.show(
      reload && reload.status !== 0
        ? { color: 'red', title: 'Bundle written, reload failed', message: `${reload.command} exited with ${reload.status}.` }
        : {
            color: 'teal',
            title: 'Edge bundle published',
            message: `${result.value.files.length} files written to ${dir}${reload ? '; reload succeeded' : ''}.`,
          },
    );
  };

  const busy = previewing || publishing;
  const caName = publishInput
    ? edgeCaList(publishInput.ca)
        .map((id) => issuing.find((authority) => authority.id === id)?.name ?? id)
        .join(', ')
    : '';

  return (
    <>
      <Paper withBorder radius="lg" p="lg">
        <form
          ref={formRef}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void runPreview();
          }}
          data-testid="edge-form"
        >
          <Stack gap="lg">
            <EdgeSettingsFields
              form={form}
              issuing={issuing}
              tenants={tenants}
              disabled={busy}
              folderField={<EdgeFolderField config={config} disabled={busy} />}
            />
            <EdgeApprovalNotice
              config={config}
              matches={matchesApproved(form.values, config?.approved ? config.settings : null)}
              command={approveCommand(toEdgeSettings(form.values), form.values.ca)}
              onUseApproved={() => config?.settings && form.setValues(withApprovedSettings(form.values, config.settings))}
            />
            <EdgeCaApprovalNotice
              config={config}
              chosen={form.values.ca}
              issuing={issuing}
              command={approveCommand(toEdgeSettings(form.values), form.values.ca)}
              onUseApproved={(ids) => form.setFieldValue('ca', ids)}
            />
            <Group justify="flex-end" gap="sm">
              <Tooltip label="Builds the files without writing them. Signs a new CRL where the latest is out of date." multiline maw={300}>
                <Button
                  type="submit"
                  variant="default"
                  leftSection={<IconEye size={18} />}
                  loading={previewing}
                  disabled={publishing}
                  data-testid="edge-preview"
                >
                  Preview
                </Button>
              </Tooltip>
              <Button leftSection={<IconUpload size={18} />} onClick={askPublish} disabled={previewing} data-testid="edge-publish">
                Publish…
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>

      {published && <EdgePublishResultView result={published.result} dir={published.dir} onDismiss={() => setPublished(null)} />}

      {(preview || previewFailure) && (
        <Paper withBorder radius="lg" p="lg" data-testid="edge-preview-section">
          <Stack gap="sm">
            <Title order={3} size="h4">
              Preview
            </Title>
            {previewFailure && (
              <ErrorAlert title="The bundle could not be built" data-testid="edge-preview-error" code={previewFailure.code}>
                {previewFailure.message}
              </ErrorAlert>
            )}
            {preview && <EdgePreviewPanel preview={preview.value} stale={preview.key !== previewKey} several={preview.several} />}
          </Stack>
        </Paper>
      )}

      <EdgeHistory authorities={authorities} />

      <PublishEdgeModal
        opened={confirmOpened}
        input={publishInput}
        folder={folder}
        caName={caName}
        busy={publishing}
        failure={publishFailure}
        onConfirm={() => void publish()}
        onClose={() => setConfirmOpened(false)}
        cancelFirst={fromPalette}
      />
      <RepublishBlockedModal block={palette.blocked} onClose={palette.dismiss} />
    </>
  );
}
