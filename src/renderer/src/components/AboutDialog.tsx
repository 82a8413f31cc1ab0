import { Group, Image, Modal, Stack, Table, Text, Title } from '@mantine/core';
import iconUrl from '../../../../resources/icon.svg';
import { useOpenedAfterMount } from '../state/use-opened-after-mount.ts';

/** What certdesk is, in one line (package.json's description is the long form). */
export const ABOUT_LINE = 'A private CA and certificate lifecycle for OAuth mTLS clients.';

/** Name, build version (from package.json at build time), licence and purpose. */
export function AboutDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const shown = useOpenedAfterMount(opened);
  return (
    <Modal
      opened={shown}
      onClose={onClose}
      title={<Text fw={600}>About certdesk</Text>}
      attributes={{ content: { 'data-testid': 'about-dialog' } }}
    >
      <Group align="flex-start" wrap="nowrap" gap="lg">
        <Image src={iconUrl} w={72} h={72} alt="" data-testid="about-icon" />
        <Stack gap="xs">
          <Title order={2} size="h3">
            certdesk
          </Title>
          <Text size="sm">{ABOUT_LINE}</Text>
          <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={0} fz="sm">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={96} fw={500} c="dimmed">
                  Version
                </Table.Th>
                <Table.Td data-testid="about-version">{__CERTDESK_VERSION__}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th w={96} fw={500} c="dimmed">
                  Licence
                </Table.Th>
                <Table.Td data-testid="about-license">{__CERTDESK_LICENSE__}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Stack>
      </Group>
    </Modal>
  );
}
