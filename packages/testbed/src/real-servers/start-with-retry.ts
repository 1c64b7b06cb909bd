/**
 * Starts a server on a port picked just before, and tries again with a new port when the
 * server could not bind it (another process took it in between).
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { RealServerKind } from './real-server';
import { RealServerStartError } from './real-server-start-error';
import { pickFreePort } from './loopback-ports';
import { waitForGreeting } from './greeting-probe';
import type { ServerProcess } from './server-process';

export interface StartPlan {
  kind: RealServerKind;
  /** Text of this server's greeting, e.g. `ProFTPD`. */
  banner: string;
  implicitTls: boolean;
  /** The certificate file the server presents (see GreetingProbe.certificate). */
  certFile: string;
  timeoutMs: number;
  /** Writes the config for `port` and spawns the server. */
  launch(port: number): Promise<ServerProcess>;
  log(): string;
}

// vsftpd: "could not bind listening IPv4 socket"; proftpd: "Failed binding to ...: Address
// already in use"; pure-ftpd: "Unable to start a standalone server: Address already in use".
const PORT_TAKEN = /address already in use|could not bind/i;
const ATTEMPTS = 5;

export async function startWithRetry(plan: StartPlan): Promise<{ port: number; process: ServerProcess }> {
  const deadline = Date.now() + plan.timeoutMs;
  const certificate = new X509Certificate(await readFile(plan.certFile));
  let lastReason = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await pickFreePort();
    const logBefore = plan.log().length;
    const server = await plan.launch(port);
    const outcome = await waitForGreeting(
      { port, implicitTls: plan.implicitTls, banner: plan.banner, certificate },
      deadline,
      () => server.hasExited(),
    );
    if (outcome.kind === 'greeted' && !server.hasExited()) return { port, process: server };

    const exitedEarly = server.hasExited();
    await server.stop();
    const newLog = plan.log().slice(logBefore);
    if (outcome.kind === 'other-server')
      lastReason = `port ${port} answered with another server's greeting: ${outcome.greeting.trim()}`;
    else if (PORT_TAKEN.test(newLog)) lastReason = `port ${port} was taken`;
    else {
      const probeResult = outcome.kind === 'no-answer' ? outcome.reason : 'greeted, then exited';
      lastReason = exitedEarly ? `the server exited (${probeResult})` : probeResult;
      break;
    }
    if (Date.now() >= deadline) break;
  }
  throw new RealServerStartError(plan.kind, lastReason, plan.log());
}
