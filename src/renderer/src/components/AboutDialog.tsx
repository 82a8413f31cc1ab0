import { ActionIcon, Group, Image, Modal, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import iconUrl from '../../../../resources/icon.svg';

/** What certdesk is, in one line (package.json's description is the long form). */
export const ABOUT_LINE = 'A private CA and certificate lifecycle for OAuth mTLS clients.';

/** The header's About entry: a labelled icon button (Tab reaches it, Enter or Space opens it) and its dialog. */
export function AboutButton() {
  const [opened, { open, close }] = useDisclosure(false);
  return (
    <>
      <Tooltip label="About certdesk">
        <ActionIcon
          variant="subtle"
          color="gray"
          size="lg"
          aria-label="About certdesk"
          aria-haspopup="dialog"
          onClick={open}
          data-testid="about-open"
        >
          <IconInfoCircle size={20} stroke={1.6} aria-hidden />
        </ActionIcon>
      </Tooltip>
      <AboutDialog opened={opened} onClose={close} />
    </>
  );
}

/** Name, build version (from package.json at build time), licence and purpose. */
export function AboutDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal
      opened={opened}
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
