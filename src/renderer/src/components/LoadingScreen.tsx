import { Center, Loader, Stack, Text } from '@mantine/core';

export function LoadingScreen() {
  return (
    <Center h="100vh">
      <Stack align="center" gap="sm" role="status">
        <Loader type="dots" />
        <Text c="dimmed" size="sm">
          Opening the certificate store…
        </Text>
      </Stack>
    </Center>
  );
}
