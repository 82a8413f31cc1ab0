import { Divider, Stack, Text, Title } from '@mantine/core';
import { OutboxSection } from './OutboxSection.tsx';
import { PairingSection } from './PairingSection.tsx';
import { ReviewSection } from './ReviewSection.tsx';

/** The air gap's crossing (issue 12): pairing, reviewing what arrived, and the next bundle to carry across. */
export function TransferPage() {
  return (
    <Stack gap="lg" maw={1100} data-testid="transfer-page">
      <div>
        <Title order={2}>Transfer</Title>
        <Text c="dimmed" size="sm">
          Signed bundles carry requests to the offline signer and its answers back. Each crossing is verified on import and reviewed item by
          item before anything is applied.
        </Text>
      </div>
      <PairingSection />
      <Divider />
      <ReviewSection />
      <Divider />
      <OutboxSection />
    </Stack>
  );
}
