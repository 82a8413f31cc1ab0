import { Badge, Button, Code, CopyButton, Group, ScrollArea, Stack, Tabs, Text } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';
import type { EdgePreview } from '../../../../shared/contract/index.ts';
import { downloadText } from '../../format/download.ts';

/** The bundle's files in the order an operator reads them; any other file follows. */
const FILE_ORDER = ['certdesk-edge.conf', 'ca-bundle.pem', 'crl.pem', 'README.md'];

export const FILE_HINTS: Record<string, string> = {
  'certdesk-edge.conf': 'The nginx server block: include it inside http {}.',
  'ca-bundle.pem': 'The CAs client certificates must chain to (ssl_client_certificate).',
  'crl.pem': 'The current CRL of each of those CAs (ssl_crl). Publish again before their next update.',
  'README.md': 'The installation steps, for whoever sets the bundle up on the edge.',
};

const FILE_TYPES: Record<string, string> = { '.pem': 'application/x-pem-file', '.md': 'text/markdown', '.conf': 'text/plain' };

export function orderedFiles(files: Record<string, string>): string[] {
  const names = Object.keys(files);
  return [...FILE_ORDER.filter((name) => names.includes(name)), ...names.filter((name) => !FILE_ORDER.includes(name)).sort()];
}

/** Joined as `Root #3, Issuing #7`: which CRL of which CA went (or would go) to the edge. */
export function crlNumbersText(crlNumbers: Record<string, number>): string {
  const entries = Object.entries(crlNumbers);
  return entries.length === 0 ? '—' : entries.map(([ca, number]) => `${ca} #${number}`).join(', ');
}

interface Props {
  preview: EdgePreview;
  /** The form changed since this preview was made. */
  stale: boolean;
  /** Made for a set of issuing CAs: the CAs are a list, not one path to a root. */
  several?: boolean;
}

export function EdgePreviewPanel({ preview, stale, several = false }: Props) {
  const names = orderedFiles(preview.files);
  return (
    <Stack gap="sm" data-testid="edge-preview-result" data-stale={stale || undefined}>
      <Group gap="xs" wrap="wrap">
        <Text size="sm">
          Trusts <b>{preview.authorities.join(several ? ', ' : ' → ')}</b>; CRLs {crlNumbersText(preview.crlNumbers)}.
        </Text>
        {stale && (
          <Badge color="orange" variant="light" tt="none" data-testid="edge-preview-stale">
            The settings changed since this preview: preview again
          </Badge>
        )}
      </Group>
      <Tabs defaultValue={names[0]} variant="outline" keepMounted>
        <Tabs.List aria-label="Files of the edge bundle">
          {names.map((name) => (
            <Tabs.Tab key={name} value={name} ff="monospace" data-testid="edge-preview-tab" data-file={name}>
              {name}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {names.map((name) => {
          const content = preview.files[name] ?? '';
          const extension = /\.[^.]+$/.exec(name)?.[0] ?? '';
          return (
            <Tabs.Panel key={name} value={name} pt="sm">
              <Stack gap="xs">
                <Group justify="space-between" wrap="nowrap" align="center">
                  <Text size="sm" c="dimmed">
                    {FILE_HINTS[name] ?? 'Part of the bundle.'}
                  </Text>
                  <Group gap="xs" wrap="nowrap">
                    <CopyButton value={content} timeout={1500}>
                      {({ copied, copy }) => (
                        <Button
                          size="compact-sm"
                          variant="light"
                          color={copied ? 'teal' : undefined}
                          leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                          onClick={copy}
                          aria-label={`Copy ${name}`}
                          data-testid="edge-preview-copy"
                        >
                          {copied ? 'Copied' : 'Copy'}
                        </Button>
                      )}
                    </CopyButton>
                    <Button
                      size="compact-sm"
                      variant="default"
                      leftSection={<IconDownload size={14} />}
                      onClick={() => downloadText(name, content, FILE_TYPES[extension] ?? 'text/plain')}
                      aria-label={`Download ${name}`}
                    >
                      Download
                    </Button>
                  </Group>
                </Group>
                <ScrollArea.Autosize mah={440} type="auto" offsetScrollbars>
                  <Code block data-testid="edge-preview-file" data-file={name} style={{ whiteSpace: 'pre', fontSize: 12 }}>
                    {content}
                  </Code>
                </ScrollArea.Autosize>
              </Stack>
            </Tabs.Panel>
          );
        })}
      </Tabs>
    </Stack>
  );
}
