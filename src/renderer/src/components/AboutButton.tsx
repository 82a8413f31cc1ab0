import { ActionIcon, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { Suspense, useState } from 'react';
import { lazyNamed } from '../state/load-with-retry.ts';

export const loadAboutDialog = () => import('./AboutDialog.tsx');
const AboutDialog = lazyNamed(loadAboutDialog, (m) => m.AboutDialog);

/** The header's About entry: a labelled icon button (Tab reaches it, Enter or Space opens it) and its dialog. */
export function AboutButton() {
  // The dialog is a chunk of its own, asked for on the first opening (or ahead, with the shell's other
  // deferred chunks); kept mounted after that so it closes with its transition.
  const [{ opened, mounted }, setState] = useState({ opened: false, mounted: false });
  const open = () => setState({ opened: true, mounted: true });
  const close = () => setState({ opened: false, mounted: true });
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
      {mounted && (
        <Suspense fallback={null}>
          <AboutDialog opened={opened} onClose={close} />
        </Suspense>
      )}
    </>
  );
}
