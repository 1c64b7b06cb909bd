/** Wraps a started server process and its files into the RealServer the tests use. */
import type { PortRange, RealServer, RealServerKind } from './real-server';
import type { ServerProcess } from './server-process';

export const DEFAULT_USER = 'ftpsctl-test';
export const DEFAULT_START_TIMEOUT_MS = 10_000;

export interface RunningServerParts {
  kind: RealServerKind;
  port: number;
  passivePorts: PortRange;
  user: string;
  password: string;
  root: string;
  process: ServerProcess;
  log(): string;
  /** Run after the process has exited, in order (PAM service, then the workspace). */
  cleanups: ReadonlyArray<() => Promise<void>>;
}

export function runningServer(parts: RunningServerParts): RealServer {
  let stopping: Promise<void> | undefined;
  let finalLog: string | undefined;
  return {
    kind: parts.kind,
    host: '127.0.0.1',
    port: parts.port,
    passivePorts: parts.passivePorts,
    user: parts.user,
    password: parts.password,
    root: parts.root,
    stop() {
      stopping ??= (async () => {
        await parts.process.stop();
        // Keep the log readable after the workspace is gone.
        finalLog = parts.log();
        for (const cleanup of parts.cleanups) await cleanup();
      })();
      return stopping;
    },
    log: () => finalLog ?? parts.log(),
  };
}
