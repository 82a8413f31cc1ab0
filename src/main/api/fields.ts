/** The zod building blocks every domain's schemas share: bounded, printable, and named in their messages. */
import { z } from 'zod';
import { cleanHostName, hasControlCharacters, hasUrlScheme, isHttpUrl, isHttpsUrl, isTenantDomain } from '../../shared/validation.ts';

export const text = (field: string, max: number) =>
  z
    .string({ error: `${field} must be text` })
    .trim()
    .min(1, { error: `${field} must not be empty` })
    .max(max, { error: `${field} is longer than ${max} characters (X.509 upper bound)` })
    // Printable text only: control characters break DNs, logs and terminals alike.
    .refine((value) => !hasControlCharacters(value), { error: `${field} must not contain control characters` });

export const empty = z.object({}).strict();

export const passphrase = z.string({ error: 'passphrase must be text' }).max(1024, { error: 'passphrase is longer than 1024 characters' });

/** PEM or base64 DER pasted or dropped: generous for a chain, far below anything abusive. */
export const MAX_PEM = 64 * 1024;
/** `label` is the field as the operator sees it, for the message; the error's field stays the schema's name. */
export const pem = (field: string, label = field) =>
  z
    .string({ error: `${label} must be PEM text` })
    .min(1, { error: `${label} is empty; paste the PEM or drop the file` })
    .max(MAX_PEM, { error: `${label} is larger than ${MAX_PEM / 1024} KiB; that is not a single certificate, key or CSR` });

export const ref = (field: string) => text(field, 200);

export const httpUrl = (field: string) =>
  z
    .string()
    .max(2048)
    .refine((v) => isHttpUrl(v), { error: `${field} must be an http(s) URL` });
export const httpsUrl = (field: string) =>
  z
    .string()
    .max(2048)
    .refine((v) => isHttpsUrl(v), { error: `${field} must be an https:// URL` });

/** A bare host name: the tenant's domain, not a URL (a pasted `https://` prefix and trailing slash are cleaned up). */
export const hostName = (field: string) =>
  z
    .string({ error: `${field} must be text` })
    .overwrite(cleanHostName)
    .refine((v) => !hasUrlScheme(v), { error: `${field} is a host name such as acme.eu.auth0.com, without https://` })
    .refine((v) => isTenantDomain(v), { error: `${field} must be a host name such as acme.eu.auth0.com` });
