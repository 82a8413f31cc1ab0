import { Button } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { useRef } from 'react';
import { HiddenFileInput } from '../../components/HiddenFileInput.tsx';
import { bytesToBase64 } from '../../format/base64.ts';

export interface Upload {
  name: string;
  contentBase64: string;
}

interface Props {
  label: string;
  accept: string;
  /** Larger files are refused here, before a byte is read or sent. */
  maxBytes: number;
  /** What the file is, for the size refusal ("a transfer bundle"). */
  what: string;
  disabled?: boolean;
  loading?: boolean;
  onFile: (upload: Upload) => void;
  onRefused: (message: string) => void;
  /** The button's; the hidden file input is `<testId>-file`. */
  testId: string;
}

/**
 * A keyboard-reachable button that picks a file and hands over its bytes: the host never learns a
 * path, in the browser or in the desktop app.
 */
export function FileUploadButton({ label, accept, maxBytes, what, disabled, loading, onFile, onRefused, testId }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const read = async (file: File) => {
    if (file.size > maxBytes) {
      onRefused(`${file.name} is ${file.size} bytes; ${what} is at most ${maxBytes} bytes. It was not sent.`);
      return;
    }
    onFile({ name: file.name, contentBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) });
  };
  return (
    <>
      <Button
        variant="default"
        leftSection={<IconFileUpload size={18} aria-hidden />}
        onClick={() => input.current?.click()}
        disabled={disabled}
        loading={loading}
        data-testid={testId}
      >
        {label}
      </Button>
      <HiddenFileInput ref={input} accept={accept} testId={`${testId}-file`} onFile={(file) => void read(file)} />
    </>
  );
}
