import type { RefObject } from 'react';

interface Props {
  /** A visible, keyboard-reachable button opens the picker with `ref.current.click()`. */
  ref: RefObject<HTMLInputElement | null>;
  accept: string;
  /** `data-testid`: tests set files on it directly. */
  testId: string;
  onFile: (file: File) => void;
}

/** The file picker behind a "Choose file…" button: out of the tab order, since the button is the control. */
export function HiddenFileInput({ ref, accept, testId, onFile }: Props) {
  return (
    <input
      ref={ref}
      type="file"
      accept={accept}
      hidden
      tabIndex={-1}
      data-testid={testId}
      onChange={(event) => {
        const file = event.currentTarget.files?.[0];
        // Reset so choosing the same file again still fires a change.
        event.currentTarget.value = '';
        if (file) onFile(file);
      }}
    />
  );
}
