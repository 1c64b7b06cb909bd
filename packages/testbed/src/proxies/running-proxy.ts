/** Wraps a started proxy process and its files into the RunningProxy the tests use. */
import type { ServerProcess } from '../real-servers/server-process';
import type { ProxyKind, RunningProxy } from './proxy';

export const DEFAULT_PROXY_USER = 'ftpsctl-proxy-user';
export const DEFAULT_PROXY_START_TIMEOUT_MS = 10_000;

export interface RunningProxyParts {
  kind: ProxyKind;
  port: number;
  user: string;
  password: string;
  process: ServerProcess;
  log(): string;
  /** Finished connections in the log so far, without the readiness probes. */
  countConnections(): number;
  /** Run after the process has exited, in order (PAM service, then the workspace). */
  cleanups: ReadonlyArray<() => Promise<void>>;
}

export function runningProxy(parts: RunningProxyParts): RunningProxy {
  let stopping: Promise<void> | undefined;
  let finalLog: string | undefined;
  let finalCount: number | undefined;
  return {
    kind: parts.kind,
    host: '127.0.0.1',
    port: parts.port,
    user: parts.user,
    password: parts.password,
    stop() {
      stopping ??= (async () => {
        await parts.process.stop();
        // Keep the log and the count readable after the workspace is gone.
        finalLog = parts.log();
        finalCount = parts.countConnections();
        for (const cleanup of parts.cleanups) await cleanup();
      })();
      return stopping;
    },
    log: () => finalLog ?? parts.log(),
    connectionsSeen: () => finalCount ?? parts.countConnections(),
  };
}
