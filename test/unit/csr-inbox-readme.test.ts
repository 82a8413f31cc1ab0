import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerInbox, initInbox } from '../../src/main/core/delivery/csr-inbox-answer.ts';
import { expectationFromCertificate, readInbox } from '../../src/main/core/delivery/csr-inbox.ts';
import { emptyInbox, inboxPki, SAN, SUBJECT, type InboxPki } from '../support/inbox-pki.ts';
import { openssl } from '../support/openssl.ts';
import { tempDir } from '../support/temp.ts';

/** The README section's first sh block, one command a line. */
function readmeCommands(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = /## Workload side of a CSR inbox\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((line) => line.trim().length > 0);
}

/** Splits a command line into argv the way sh would for these lines (words, "double-quoted" words), so none runs through a shell. */
function argv(line: string): string[] {
  expect(line).not.toMatch(/[$`\\;|&<>']/);
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

let pki: InboxPki;
beforeAll(() => {
  pki = inboxPki();
});
afterAll(() => pki.dispose());

describe("the README's workload side of a CSR inbox", () => {
  it('gives three commands whose CSR the inbox accepts, and whose answer lands where it says', async () => {
    const commands = readmeCommands();
    expect(commands.map((line) => argv(line)[0])).toEqual(['openssl', 'openssl', 'mv']);

    const inbox = emptyInbox();
    initInbox(inbox);
    const keys = tempDir();
    for (const line of commands) {
      const args = argv(line).map((word) => word.replace(/^\/srv\/inbox\//, `${inbox}/`).replace(/^\/etc\/workload\//, `${keys}/`));
      const run = spawnSync(args[0] ?? '', args.slice(1), { encoding: 'utf8' });
      expect(run.status, `${line}\n${run.stderr}`).toBe(0);
    }

    // The subject it shows is the predecessor's, in the form it says openssl prints.
    const subj = argv(commands[1] ?? '')[argv(commands[1] ?? '').indexOf('-subj') + 1];
    expect(subj).toBe(SUBJECT);
    expect(openssl(['x509', '-noout', '-subject', '-nameopt', 'compat'], pki.predecessorPem).stdout.trim()).toBe(`subject=${subj}`);

    const read = await readInbox(inbox, expectationFromCertificate(pki.predecessorDer, [{ type: 'dns', value: SAN }]));
    if (read.kind !== 'csr') throw new Error(`the README's CSR was not accepted: ${JSON.stringify(read)}`);
    const certPem = pki.sign(read.csrPem, '0c01');
    answerInbox(inbox, { certPem, chainPem: pki.issuingPem, fullchainPem: certPem + pki.issuingPem });

    expect(existsSync(join(inbox, 'request.csr'))).toBe(false);
    expect(existsSync(join(inbox, 'issued', 'request-0c01.csr'))).toBe(true);
    const leafKey = openssl(['x509', '-noout', '-pubkey', '-in', join(inbox, 'issued', 'fullchain.pem')]).stdout;
    expect(leafKey).toBe(openssl(['pkey', '-in', join(keys, 'next.key'), '-pubout']).stdout);
    expect(
      openssl(['verify', '-CAfile', pki.rootPath, '-untrusted', join(inbox, 'issued', 'chain.pem'), join(inbox, 'issued', 'cert.pem')])
        .output,
    ).toContain(': OK');
  });
});
