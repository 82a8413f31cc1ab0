import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEM_SBIN, which } from '../../scripts/chromium.ts';

/** Debian's nginx, on PATH or in /usr/sbin (not on a regular user's PATH); `npm test` checks it is there. */
export function nginxPath(): string {
  const found = which('nginx', SYSTEM_SBIN);
  if (!found) throw new Error('The tests need nginx: install it with `sudo apt-get install nginx` (Debian/Ubuntu).');
  return found;
}

/** A free loopback port (bound, read, released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nginx did not listen on ${port}: ${log()}`);
}

export interface RunningNginx {
  prefix: string;
  conf: string;
  /** Sends the reload signal and resolves once the old worker has stopped taking connections. */
  reload(): Promise<void>;
  /** The argv that reloads this nginx, as an operator would approve it (certdesk edge reload set -- …). */
  reloadArgv: string[];
  /** A mark in the error log; `reloaded(mark)` resolves once a reload after it has taken effect. */
  logMark(): number;
  reloaded(mark: number): Promise<void>;
  stop(): Promise<void>;
  /** A new nginx on the same prefix, configuration and port (after `stop`: the edge is back). */
  restart(): Promise<RunningNginx>;
  errorLog(): string;
}

/**
 * The unprivileged layout every test nginx runs in: its own prefix, pid and temp paths, `daemon off;`,
 * one worker, and `include` of the server blocks given (plus `httpExtra` inside `http {}`).
 */
export function writeNginxConf(prefix: string, serverBlocksInclude: string, httpExtra = ''): string {
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  const temp = (name: string) => `${name}_temp_path ${join(prefix, `${name}-temp`)};`;
  writeFileSync(
    conf,
    `daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} info;
events { worker_connections 64; }
http {
    access_log off;
    ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}
    ${httpExtra}
    include ${serverBlocksInclude};
}
`,
  );
  return conf;
}

/** `nginx -T` on that layout: nginx tests the configuration, then prints every file it read (stdout). */
export function nginxDump(
  prefix: string,
  serverBlocksInclude: string,
  httpExtra = '',
): { conf: string; status: number | null; stdout: string; stderr: string } {
  const conf = writeNginxConf(prefix, serverBlocksInclude, httpExtra);
  const r = spawnSync(nginxPath(), ['-T', '-p', prefix, '-c', conf], { encoding: 'utf8' });
  return { conf, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Real nginx, unprivileged layout (writeNginxConf), with the server blocks given. Stopped by its PID.
 */
export async function startNginx(prefix: string, serverBlocksInclude: string, port: number): Promise<RunningNginx> {
  const conf = writeNginxConf(prefix, serverBlocksInclude);
  const nginx = nginxPath();
  const check = spawnSync(nginx, ['-t', '-p', prefix, '-c', conf], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`nginx -t refused the configuration:\n${check.error?.message ?? check.stderr}`);
  const child = spawn(nginx, ['-p', prefix, '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const errorLog = () => {
    try {
      return `${stderr}\n${spawnSync('tail', ['-n', '30', join(prefix, 'logs', 'error.log')], { encoding: 'utf8' }).stdout}`;
    } catch {
      return stderr;
    }
  };
  await waitForPort(port, child, errorLog);
  const logFile = join(prefix, 'logs', 'error.log');
  const logMark = () => statSync(logFile).size;
  const reloaded = async (mark: number) => {
    // nginx logs "gracefully shutting down" when the old worker stops accepting: from then on
    // every new connection meets the new configuration. Only a shutdown after a "reconfiguring"
    // past the mark counts: the old worker of an earlier reload can log its line late, under load.
    for (let i = 0; i < 400; i++) {
      const text = readFileSync(logFile).subarray(mark).toString();
      const reconfiguring = text.lastIndexOf('reconfiguring');
      if (reconfiguring >= 0 && text.includes('gracefully shutting down', reconfiguring)) return;
      await sleep(25);
    }
    throw new Error(`nginx did not finish reloading: ${errorLog()}`);
  };
  return {
    prefix,
    conf,
    reloadArgv: [nginx, '-p', prefix, '-c', conf, '-s', 'reload'],
    logMark,
    reloaded,
    async reload() {
      const mark = logMark();
      const r = spawnSync(nginx, ['-p', prefix, '-c', conf, '-s', 'reload'], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`nginx reload failed: ${r.stderr}`);
      await reloaded(mark);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGQUIT');
      }),
    restart: () => startNginx(prefix, serverBlocksInclude, port),
    errorLog,
  };
}
