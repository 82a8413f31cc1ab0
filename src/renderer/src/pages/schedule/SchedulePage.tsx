import { Badge, Button, CloseButton, Group, Loader, NumberInput, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCalendarDown, IconRefresh, IconRotateClockwise2 } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useForm } from '@mantine/form';
import { useCallback, useMemo, useState } from 'react';
import type { Failure, ScheduleItem, ScheduleQuery } from '../../../../shared/contract/index.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { downloadText } from '../../format/download.ts';
import { SCHEDULE_STATES, SCHEDULE_STATE_META } from '../../format/schedule-state.ts';
import { useAppData } from '../../state/app-data.tsx';
import { useDueWatch } from '../../state/due-watch.tsx';
import { useRoleAbilities } from '../../state/role.ts';
import { channelKey, failureOf, FailureError } from '../../state/query-client.ts';
import { useCall } from '../../state/use-call.ts';
import { useInvalidateChannel } from '../../state/use-channel-query.ts';
import { AuthorityDrawer } from '../authorities/AuthorityDrawer.tsx';
import { CertificateDrawer } from '../inventory/CertificateDrawer.tsx';
import { RotateAllModal } from '../rotation/RotateAllModal.tsx';
import { RotateModal } from '../rotation/RotateModal.tsx';
import { RotationJobs } from '../rotation/RotationJobs.tsx';
import { PresignedCrlNotice } from './PresignedCrlNotice.tsx';
import { ScheduleEmpty } from './ScheduleEmpty.tsx';
import { HEATMAP_WEEKS, ScheduleHeatmap } from './ScheduleHeatmap.tsx';
import { ScheduleTable } from './ScheduleTable.tsx';
import { notifications } from '@mantine/notifications';
import { useCommandIntent } from '../../state/command-intent.ts';
import { ScheduleTimeline } from './ScheduleTimeline.tsx';
import { LoadingLine } from '../../components/LoadingLine.tsx';

const FILTER_DEBOUNCE_MS = 300;

interface Loaded {
  items: ScheduleItem[];
  /** When the answer arrived: the timeline and heat map measure from here, like the server's day counts. */
  at: number;
  query: ScheduleQuery;
}

function toQuery(within: number | string): ScheduleQuery {
  return typeof within === 'number' && Number.isInteger(within) && within >= 0 ? { withinDays: within } : {};
}

export function SchedulePage() {
  const call = useCall();
  const { authorities: listed } = useAppData();
  const authorities = useMemo(() => (listed?.ok ? listed.value : []), [listed]);
  const { report } = useDueWatch();

  // A filter is never wrong, only narrow: no validate; each change reads again after a pause.
  const filter = useForm<{ within: number | string }>({ mode: 'controlled', initialValues: { within: '' } });
  const { within } = filter.getValues();
  const [debounced] = useDebouncedValue(within, FILTER_DEBOUNCE_MS);
  const query = useMemo(() => toQuery(debounced), [debounced]);

  // keepPreviousData: while a new filter is read, and after a refresh fails, the last list stays on screen.
  const schedule = useQuery({
    // Its own key below the channel's: this entry holds the answer with its time, not the bare list other readers share.
    queryKey: [...channelKey('schedule:list', query), 'timed'],
    queryFn: async (): Promise<Loaded> => {
      const result = await call('schedule:list', query);
      if (!result.ok) throw new FailureError(result.error);
      report(result.value);
      return { items: result.value, at: Date.now(), query };
    },
    placeholderData: keepPreviousData,
  });
  const shown = schedule.data ?? null;
  const loading = schedule.isFetching;
  const { refetch } = schedule;
  const reload = useCallback(() => void refetch(), [refetch]);

  const [certId, setCertId] = useState<string | null>(null);
  const [certOpened, setCertOpened] = useState(false);
  // An offline signer rotates nothing: a rotation delivers and binds at Auth0, the publisher's work.
  const { network } = useRoleAbilities();
  const [authorityId, setAuthorityId] = useState<string | null>(null);
  const [authorityOpened, setAuthorityOpened] = useState(false);
  const authority = authorities.find((candidate) => candidate.id === authorityId) ?? null;
  const parentName = authority?.parentId ? (authorities.find((candidate) => candidate.id === authority.parentId)?.name ?? null) : null;

  const open = (item: ScheduleItem) => {
    if (item.kind === 'leaf') {
      setCertId(item.id);
      setCertOpened(true);
    } else {
      setAuthorityId(item.id);
      setAuthorityOpened(true);
    }
  };

  const [rotating, setRotating] = useState<ScheduleItem | null>(null);
  const [rotateOpened, setRotateOpened] = useState(false);
  const [rotateAllOpened, setRotateAllOpened] = useState(false);
  const invalidate = useInvalidateChannel();
  const rotated = useCallback(() => {
    reload();
    void invalidate('rotation:list');
  }, [reload, invalidate]);

  const [icsBusy, setIcsBusy] = useState(false);
  const [icsFailure, setIcsFailure] = useState<Failure | null>(null);
  const downloadIcs = async () => {
    setIcsBusy(true);
    setIcsFailure(null);
    const result = await call('schedule:ics', query);
    setIcsBusy(false);
    if (result.ok) downloadText(result.value.filename, result.value.content, 'text/calendar');
    else setIcsFailure(result.error);
  };

  const items = shown?.items ?? null;
  const failure = schedule.error ? failureOf(schedule.error) : null;
  const filtered = shown ? shown.query.withinDays !== undefined : false;
  const pending = JSON.stringify(toQuery(within)) !== JSON.stringify(query) || (loading && shown !== null);
  const dueAll = items?.filter((item) => item.kind === 'leaf' && (item.state === 'due' || item.state === 'overdue')) ?? [];
  // certdesk cannot rotate a certificate it holds no key and no CA for: those are renewed where they were issued.
  const dueLeaves = dueAll.filter((item) => !item.trackingOnly);
  const rotateAllWhy = rotateAllDisabledReason(items, dueAll.length, dueLeaves.length);
  // From the command palette: once the schedule is read, open the dialog, or say why it cannot be.
  useCommandIntent(
    'rotate-all-due',
    () => (rotateAllWhy ? notifications.show({ title: 'Nothing to rotate', message: rotateAllWhy }) : setRotateAllOpened(true)),
    items !== null,
  );
  const counts = Object.fromEntries(SCHEDULE_STATES.map((state) => [state, items?.filter((item) => item.state === state).length ?? 0]));

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Schedule</Title>
          <Text c="dimmed" size="sm">
            What to renew and when, most urgent first: client certificates and the CAs above them.
          </Text>
        </div>
        <Group gap="sm">
          {network && (
            <Tooltip label={rotateAllWhy ?? 'Rotate every due or overdue certificate, a few at a time'} multiline maw={280}>
              {/* A disabled button gets no pointer events: the wrapper carries the tooltip, the text below says why. */}
              <span tabIndex={rotateAllWhy ? 0 : -1} aria-describedby={rotateAllWhy ? 'rotate-all-why' : undefined}>
                <Button
                  leftSection={<IconRotateClockwise2 size={18} />}
                  onClick={() => setRotateAllOpened(true)}
                  disabled={dueLeaves.length === 0}
                  data-testid="rotate-all"
                  style={rotateAllWhy ? { pointerEvents: 'none' } : undefined}
                >
                  Rotate all due{dueLeaves.length ? ` (${dueLeaves.length})` : ''}
                </Button>
              </span>
            </Tooltip>
          )}
          <Button
            variant="default"
            leftSection={<IconRefresh size={18} />}
            onClick={reload}
            loading={loading && shown !== null}
            data-testid="schedule-refresh"
          >
            Refresh
          </Button>
          <Tooltip label="An all-day event on each renewal and expiry date, for any calendar app" multiline maw={280}>
            <Button
              variant="light"
              leftSection={<IconCalendarDown size={18} />}
              onClick={() => void downloadIcs()}
              loading={icsBusy}
              disabled={!items || items.length === 0}
              data-testid="schedule-ics"
            >
              Download .ics
            </Button>
          </Tooltip>
        </Group>
      </Group>
      {rotateAllWhy && (
        <Text size="xs" c="dimmed" ta="right" mt={-8} id="rotate-all-why" data-testid="rotate-all-why">
          {rotateAllWhy}
        </Text>
      )}
      <PresignedCrlNotice />

      <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label="Filter the schedule">
        <NumberInput
          label="Renewal within (days)"
          description="Overdue and expired always show."
          placeholder="Any time"
          {...filter.getInputProps('within')}
          min={0}
          max={36500}
          allowDecimal={false}
          allowNegative={false}
          w={200}
          rightSection={
            within !== '' ? <CloseButton size="sm" aria-label="Show everything" onClick={() => filter.setFieldValue('within', '')} /> : null
          }
          data-testid="schedule-within"
        />
        <Group gap="xs" ml="auto" wrap="wrap" mih={36} aria-live="polite" data-testid="schedule-summary">
          {pending && <Loader size="xs" aria-label="Loading" />}
          {items &&
            items.length > 0 &&
            SCHEDULE_STATES.map((state) => (
              <Badge
                key={state}
                color={SCHEDULE_STATE_META[state].color}
                variant={counts[state] ? 'light' : 'outline'}
                size="lg"
                tt="none"
                data-testid="schedule-count"
                data-state={state}
                data-count={counts[state]}
              >
                {counts[state]} {SCHEDULE_STATE_META[state].label.toLowerCase()}
              </Badge>
            ))}
        </Group>
      </Group>

      {icsFailure && (
        <ErrorAlert
          title="The calendar file could not be made"
          data-testid="schedule-ics-error"
          withCloseButton
          onClose={() => setIcsFailure(null)}
          code={icsFailure.code}
        >
          {icsFailure.message}
        </ErrorAlert>
      )}
      {failure && (
        <ErrorAlert
          title={items ? 'The schedule could not be refreshed; showing the last one loaded' : 'The schedule could not be loaded'}
          data-testid="schedule-error"
          onRetry={reload}
          code={failure.code}
        >
          {failure.message}
        </ErrorAlert>
      )}

      {!shown && !failure && <LoadingLine testId="schedule-loading">Working out the schedule…</LoadingLine>}

      {items && shown && items.length === 0 && (
        <ScheduleEmpty
          filtered={filtered}
          withinDays={shown.query.withinDays}
          hasAuthorities={authorities.length > 0}
          onShowAll={() => filter.setFieldValue('within', '')}
        />
      )}

      {items && shown && items.length > 0 && (
        <>
          <Paper withBorder radius="lg" p="md">
            <Stack gap="xs">
              <Group justify="space-between" align="baseline">
                <Title order={3} size="h5">
                  Renewals per week
                </Title>
                <Text size="xs" c="dimmed">
                  next {HEATMAP_WEEKS} weeks
                </Text>
              </Group>
              <ScheduleHeatmap items={items} now={shown.at} />
            </Stack>
          </Paper>

          <Paper withBorder radius="lg" p="md" style={{ overflowX: 'auto' }}>
            <Stack gap="xs">
              <Group justify="space-between" align="baseline">
                <Title order={3} size="h5">
                  Timeline
                </Title>
                <Text size="xs" c="dimmed">
                  each bar runs from today to expiry; hover a row for its dates
                </Text>
              </Group>
              <ScheduleTimeline items={items} now={shown.at} />
            </Stack>
          </Paper>

          <Paper withBorder radius="lg" p={0} style={{ overflow: 'hidden' }}>
            <ScheduleTable
              key={JSON.stringify(shown.query)}
              items={items}
              authorities={authorities}
              onOpen={open}
              {...(network
                ? {
                    onRotate: (item: ScheduleItem) => {
                      setRotating(item);
                      setRotateOpened(true);
                    },
                  }
                : {})}
            />
          </Paper>
        </>
      )}

      <RotationJobs onChanged={rotated} />
      <RotateModal item={rotating} opened={rotateOpened} onClose={() => setRotateOpened(false)} onRotated={rotated} />
      <RotateAllModal due={dueLeaves} opened={rotateAllOpened} onClose={() => setRotateAllOpened(false)} onFinished={rotated} />

      <CertificateDrawer
        opened={certOpened}
        certId={certId}
        onClose={() => setCertOpened(false)}
        onOpenCertificate={setCertId}
        onChanged={reload}
      />
      <AuthorityDrawer opened={authorityOpened} authority={authority} parentName={parentName} onClose={() => setAuthorityOpened(false)} />
    </Stack>
  );
}

/** Why "Rotate all due" is disabled, in words; null when it is enabled (or the schedule is not loaded yet). */
function rotateAllDisabledReason(items: ScheduleItem[] | null, due: number, rotatable: number): string | null {
  if (!items || rotatable > 0) return null;
  if (due > 0)
    return `Nothing to rotate: the ${due === 1 ? 'certificate' : `${due} certificates`} due ${due === 1 ? 'was' : 'were'} imported for tracking only; renew ${due === 1 ? 'it' : 'them'} at the CA that issued ${due === 1 ? 'it' : 'them'}.`;
  return 'Nothing to rotate: no client certificate is due or overdue for renewal.';
}
