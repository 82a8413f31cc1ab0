import { Alert, Button, CloseButton, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { IconFileUpload, IconKeyOff } from '@tabler/icons-react';
import { useId, useRef, useState, type DragEvent, type ReactNode } from 'react';
import { containsPrivateKey } from '../../../shared/validation.ts';
import { bytesToBase64 } from '../format/base64.ts';
import { HiddenFileInput } from './HiddenFileInput.tsx';

export interface PemInputValue {
  /** Pasted or loaded PEM text; empty while a DER file is loaded. */
  text: string;
  /** The file the value came from, shown so the operator knows which one is loaded. */
  fileName: string | null;
  /** A binary (DER) file, base64-encoded: it cannot be shown as text, and main accepts it this way. */
  derBase64: string | null;
}

export const EMPTY_PEM_INPUT: PemInputValue = { text: '', fileName: null, derBase64: null };

/** A private key pasted or dropped in place of a CSR or certificate. */
export function pemInputHoldsPrivateKey(value: PemInputValue): boolean {
  return containsPrivateKey(value.text);
}

/**
 * What to send over the bridge: the DER as base64, or the PEM text; nothing when it holds a private
 * key, unless the field is the one place a key belongs (`privateKey`: a CA import's key).
 */
export function pemInputPayload(value: PemInputValue, privateKey = false): string {
  if (!privateKey && pemInputHoldsPrivateKey(value)) return '';
  return value.derBase64 ?? value.text.trim();
}

// A CSR or certificate is a few kilobytes; anything this large is the wrong file.
const MAX_FILE_BYTES = 1024 * 1024;
const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----/;

interface Props {
  label: string;
  description?: ReactNode;
  value: PemInputValue;
  onChange: (value: PemInputValue) => void;
  error?: ReactNode;
  disabled?: boolean;
  /** `accept` of the file picker: `.csr,.pem,.der,.req`. */
  accept: string;
  /** Whether a binary DER file is acceptable; otherwise only PEM files are. */
  allowDer: boolean;
  placeholder: string;
  /** The textarea's; the file input is `<testId>-file`, the loaded file name `<testId>-file-name`. */
  testId: string;
  autoFocus?: boolean;
  /** The field asks for a private key (a CA import): no warning, and the key is sent. */
  privateKey?: boolean;
}

/** Paste PEM, drop a file, or pick one with the keyboard-reachable button: all three fill the same value. */
export function PemInput({
  label,
  description,
  value,
  onChange,
  error,
  disabled = false,
  accept,
  allowDer,
  placeholder,
  testId,
  autoFocus = false,
  privateKey = false,
}: Props) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [fileError, setFileError] = useState<string | null>(null);
  const hintId = useId();

  const readFile = async (file: File) => {
    setFileError(null);
    if (file.size > MAX_FILE_BYTES) {
      setFileError(`${file.name} is ${Math.round(file.size / 1024)} KB; a certificate or CSR is a few KB. Is it the right file?`);
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (PEM_BLOCK.test(text)) {
      onChange({ text, fileName: file.name, derBase64: null });
    } else if (allowDer) {
      onChange({ text: '', fileName: file.name, derBase64: bytesToBase64(bytes) });
    } else {
      setFileError(
        `${file.name} holds no PEM block (-----BEGIN …-----). Convert it with: openssl x509 -inform der -in ${file.name} -out cert.pem`,
      );
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    const file = event.dataTransfer.files[0];
    if (file) {
      void readFile(file);
      return;
    }
    // Dragged text (a PEM selected in another window) works like a paste.
    const dropped = event.dataTransfer.getData('text/plain');
    if (dropped) onChange({ text: dropped, fileName: null, derBase64: null });
  };

  return (
    <Stack gap={6}>
      <Paper
        withBorder
        p="sm"
        radius="md"
        onDragOver={(event) => {
          event.preventDefault();
          if (!disabled) setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid={`${testId}-drop`}
        data-dragging={dragging || undefined}
        style={{
          borderStyle: 'dashed',
          borderWidth: 2,
          borderColor: dragging ? 'var(--mantine-primary-color-filled)' : error ? 'var(--mantine-color-error)' : undefined,
          backgroundColor: dragging ? 'var(--mantine-primary-color-light)' : undefined,
          transition: 'background-color 120ms ease',
        }}
      >
        <Stack gap="xs">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div>
              <Text size="sm" fw={500}>
                {label}
              </Text>
              <Text size="xs" c="dimmed" id={hintId}>
                {description ?? `Drop a file here, choose one, or paste the PEM below (${accept.replaceAll(',', ' ')}).`}
              </Text>
            </div>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconFileUpload size={16} aria-hidden />}
              onClick={() => fileInput.current?.click()}
              disabled={disabled}
              style={{ flexShrink: 0 }}
            >
              Choose file…
            </Button>
          </Group>
          <HiddenFileInput ref={fileInput} accept={accept} testId={`${testId}-file`} onFile={(file) => void readFile(file)} />

          {value.fileName && (
            <Group gap="xs" wrap="nowrap" data-testid={`${testId}-file-name`}>
              <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                {value.fileName}
              </Text>
              <Text size="xs" c="dimmed">
                {value.derBase64 ? 'DER (binary), sent base64-encoded' : 'PEM'}
              </Text>
              <CloseButton
                size="sm"
                aria-label={`Remove ${value.fileName}`}
                onClick={() => onChange({ text: '', fileName: null, derBase64: null })}
                disabled={disabled}
              />
            </Group>
          )}

          {!value.derBase64 && (
            <Textarea
              aria-label={label}
              aria-describedby={hintId}
              placeholder={placeholder}
              value={value.text}
              onChange={(event) => onChange({ text: event.currentTarget.value, fileName: null, derBase64: null })}
              autosize
              minRows={5}
              maxRows={12}
              spellCheck={false}
              autoComplete="off"
              disabled={disabled}
              error={Boolean(fileError ?? error)}
              data-autofocus={autoFocus || undefined}
              // The red border marks the error; the PEM itself stays readable in the normal text colour.
              styles={{
                input: {
                  fontFamily: 'var(--mantine-font-family-monospace)',
                  fontSize: 'var(--mantine-font-size-xs)',
                  color: 'var(--mantine-color-text)',
                },
              }}
              data-testid={testId}
            />
          )}
        </Stack>
      </Paper>
      {!privateKey && pemInputHoldsPrivateKey(value) && (
        <Alert
          color="red"
          variant="light"
          icon={<IconKeyOff />}
          title="This is a private key — do not share it"
          role="alert"
          data-testid={`${testId}-private-key`}
        >
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {label} needs the request or certificate, never the key. Nothing was sent or stored. If this key was sent to anyone, treat it
              as compromised and make a new one.
            </Text>
            <Button size="compact-sm" variant="light" color="red" onClick={() => onChange(EMPTY_PEM_INPUT)} disabled={disabled}>
              Clear the key from this field
            </Button>
          </Stack>
        </Alert>
      )}
      {(fileError ?? error) && (
        <Text size="sm" c="red" role="alert" data-testid={`${testId}-error`}>
          {fileError ?? error}
        </Text>
      )}
    </Stack>
  );
}
