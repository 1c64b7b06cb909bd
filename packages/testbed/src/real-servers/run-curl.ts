/**
 * Runs curl 7.88 (Debian's /usr/bin/curl) against a real server, as an independent client
 * that proves a server configuration works before our own engine is tested against it.
 * The password goes through a 0600 netrc file, never argv; curl's verbose log is kept
 * (with PASS masked) so tests can check the server's replies.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeSecretFile } from './login-secrets';
import type { RealServer } from './real-server';

export const CURL = '/usr/bin/curl';

export interface CurlResult {
  /** 0 on success; curl's exit code otherwise (e.g. 19 RETR failed, 28 timeout). */
  exitCode: number;
  stdout: Buffer;
  /** curl's -v log with `PASS` masked. */
  verbose: string;
  /** Server replies as curl logged them (`< 234 AUTH TLS OK.`), without the `< `. */
  replies: string[];
  /** Commands curl sent, without the `> `. */
  commands: string[];
}

export interface CurlRequest {
  /** Path on the server, e.g. `/` or `/upload.bin`. */
  path: string;
  /** `ftp` for explicit FTPS (with --ssl-reqd or --ftp-ssl-control in args), `ftps` for implicit. */
  scheme?: 'ftp' | 'ftps';
  args?: readonly string[];
  timeoutSeconds?: number;
}

function linesStartingWith(text: string, prefix: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length));
}

export async function runCurl(server: RealServer, request: CurlRequest): Promise<CurlResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-curl-'));
  try {
    const netrc = path.join(dir, 'netrc');
    await writeSecretFile(netrc, `machine ${server.host} login ${server.user} password ${server.password}\n`);
    const url = `${request.scheme ?? 'ftp'}://${server.host}:${server.port}${request.path}`;
    const args = [
      '-sS',
      '-v',
      '--netrc-file',
      netrc,
      '--max-time',
      String(request.timeoutSeconds ?? 20),
      ...(request.args ?? []),
      url,
    ];
    return await new Promise<CurlResult>((resolve) => {
      execFile(CURL, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const verbose = stderr.toString('utf8').replace(/^> PASS .*$/gm, '> PASS ****');
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({
          exitCode,
          stdout,
          verbose,
          replies: linesStartingWith(verbose, '< '),
          commands: linesStartingWith(verbose, '> '),
        });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fails with curl's log and the server's log, so a broken configuration explains itself. */
export function assertCurlSucceeded(result: CurlResult, server: RealServer): void {
  if (result.exitCode === 0) return;
  throw new Error(
    `curl exited ${result.exitCode} against ${server.kind}\n--- curl ---\n${result.verbose}\n${server.log()}`,
  );
}
