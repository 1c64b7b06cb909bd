/**
 * Runs curl 7.88 (Debian's /usr/bin/curl) through a running proxy, as an independent client
 * that proves a proxy configuration before our own engine is tested against it. The proxy
 * credentials go through a 0600 `-K` config file, never argv; curl's verbose log is kept
 * with Proxy-Authorization masked.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeSecretFile } from '../real-servers/login-secrets';
import { CURL } from '../real-servers/run-curl';
import type { RunningProxy } from './proxy';

export interface CurlThroughProxyRequest {
  /** Where curl goes through the proxy, e.g. `http://127.0.0.1:1234/`. */
  url: string;
  /** CA for the HTTPS proxy's certificate; required for `https-connect`. */
  proxyCaFile?: string;
  /** Credentials to send instead of the proxy's own (wrong-password tests); null sends none. */
  login?: { user: string; password: string } | null;
  timeoutSeconds?: number;
}

export interface CurlThroughProxyResult {
  /** 0 on success; curl's exit code otherwise (56: CONNECT refused, 97: SOCKS failure). */
  exitCode: number;
  stdout: string;
  /** curl's -v log with the Proxy-Authorization value masked. */
  verbose: string;
}

/** curl config syntax: a double-quoted value takes backslash escapes. */
function quoteForCurlConfig(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function proxyArgs(proxy: RunningProxy, request: CurlThroughProxyRequest): string[] {
  if (proxy.kind === 'socks5') return ['--socks5', `${proxy.host}:${proxy.port}`];
  if (!request.proxyCaFile) throw new Error('curlThroughProxy: an https-connect proxy needs proxyCaFile');
  // -p: a CONNECT tunnel even for http:// URLs, as the FTPS engine uses the proxy.
  return ['--proxy', `https://${proxy.host}:${proxy.port}`, '--proxy-cacert', request.proxyCaFile, '--proxytunnel'];
}

export async function curlThroughProxy(
  proxy: RunningProxy,
  request: CurlThroughProxyRequest,
): Promise<CurlThroughProxyResult> {
  const login = request.login === undefined ? { user: proxy.user, password: proxy.password } : request.login;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ftpsctl-proxy-curl-'));
  try {
    const config = path.join(dir, 'curl.config');
    await writeSecretFile(
      config,
      login ? `proxy-user = ${quoteForCurlConfig(`${login.user}:${login.password}`)}\n` : '',
    );
    const args = [
      '-sS',
      '-v',
      '-K',
      config,
      '--max-time',
      String(request.timeoutSeconds ?? 20),
      ...proxyArgs(proxy, request),
      request.url,
    ];
    return await new Promise<CurlThroughProxyResult>((resolve) => {
      // Explicit options above win over any *_proxy variables; no other curl config is read.
      execFile(CURL, ['-q', ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        const verbose = stderr.replace(/^(> Proxy-Authorization: \S+) .*$/gim, '$1 ****');
        const exitCode = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ exitCode, stdout, verbose });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Fails with curl's log and the proxy's log, so a broken configuration explains itself. */
export function assertCurlThroughProxySucceeded(result: CurlThroughProxyResult, proxy: RunningProxy): void {
  if (result.exitCode === 0) return;
  throw new Error(
    `curl exited ${result.exitCode} through the ${proxy.kind} proxy\n--- curl ---\n${result.verbose}\n${proxy.log()}`,
  );
}
