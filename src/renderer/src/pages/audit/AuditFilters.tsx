import { Button, Group, MultiSelect, TextInput } from '@mantine/core';
import { IconFileTypeCsv, IconJson } from '@tabler/icons-react';
import type { AuditExportFormat, AuditFilter } from '../../../../shared/contract/index.ts';

export interface AuditFilterValues {
  kinds: string[];
  subject: string;
  since: string;
  until: string;
}

export const NO_AUDIT_FILTERS: AuditFilterValues = { kinds: [], subject: '', since: '', until: '' };

/** What the core filters on; empty fields are left out. The dates are UTC days, `until` inclusive. */
export function toAuditFilter(values: AuditFilterValues, subject: string): AuditFilter {
  return {
    ...(values.kinds.length ? { kinds: values.kinds } : {}),
    ...(subject.trim() ? { subject: subject.trim() } : {}),
    ...(values.since ? { since: values.since } : {}),
    ...(values.until ? { until: values.until } : {}),
  };
}

interface Props {
  values: AuditFilterValues;
  kinds: string[];
  onChange: (values: AuditFilterValues) => void;
  exporting: AuditExportFormat | null;
  onExport: (format: AuditExportFormat) => void;
  /** The field the last refusal named, with its message. */
  fieldError: { field: string; message: string } | null;
}

/** Filters by kind (actions, several), subject text and a UTC date range; export takes the same filter. */
export function AuditFilters({ values, kinds, onChange, exporting, onExport, fieldError }: Props) {
  const set = (patch: Partial<AuditFilterValues>) => onChange({ ...values, ...patch });
  const errorOf = (field: string) => (fieldError?.field === field ? fieldError.message : undefined);
  return (
    <Group gap="sm" align="flex-end" wrap="wrap" data-testid="audit-filters">
      <MultiSelect
        label="Kind"
        placeholder={values.kinds.length ? undefined : 'Every action'}
        data={kinds}
        value={values.kinds}
        onChange={(next) => set({ kinds: next })}
        searchable
        clearable
        w={260}
        error={errorOf('kinds')}
        data-testid="audit-filter-kind"
      />
      <TextInput
        label="Subject"
        placeholder="CA, CN, serial, tenant…"
        value={values.subject}
        onChange={(event) => set({ subject: event.currentTarget.value })}
        w={220}
        error={errorOf('subject')}
        data-testid="audit-filter-subject"
      />
      <TextInput
        type="date"
        label="From (UTC)"
        value={values.since}
        onChange={(event) => set({ since: event.currentTarget.value })}
        w={160}
        error={errorOf('since')}
        data-testid="audit-filter-since"
      />
      <TextInput
        type="date"
        label="To (UTC, inclusive)"
        value={values.until}
        onChange={(event) => set({ until: event.currentTarget.value })}
        w={160}
        error={errorOf('until')}
        data-testid="audit-filter-until"
      />
      <Button variant="subtle" onClick={() => onChange(NO_AUDIT_FILTERS)} data-testid="audit-filter-clear">
        Clear
      </Button>
      <Group gap="xs" ml="auto">
        <Button
          variant="default"
          leftSection={<IconFileTypeCsv size={18} />}
          loading={exporting === 'csv'}
          disabled={exporting !== null}
          onClick={() => onExport('csv')}
          data-testid="audit-export-csv"
        >
          Export CSV
        </Button>
        <Button
          variant="default"
          leftSection={<IconJson size={18} />}
          loading={exporting === 'json'}
          disabled={exporting !== null}
          onClick={() => onExport('json')}
          data-testid="audit-export-json"
        >
          Export JSON
        </Button>
      </Group>
    </Group>
  );
}
