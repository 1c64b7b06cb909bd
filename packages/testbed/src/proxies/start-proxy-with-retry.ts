/**
 * Starts a proxy on a port picked just before, waits until its probe says it is ours, and
 * tries again with a new port when the proxy could not bind it (another process took it
 * in between). Same scheme as real-servers/start-with-retry.ts.
 */
import { pickFreePort } from '../real-servers/loopback-ports';
import type { ServerProcess } from '../real-servers/server-process';
import type { ProxyKind } from './proxy';
import type { ProxyProbe, ProxyProbeOutcome } from './proxy-probe';
import { ProxyStartError } from './proxy-start-error';

export interface ProxyStartPlan {
  kind: ProxyKind;
  probe: ProxyProbe;
  timeoutMs: number;
  /** Writes the config for `port` and spawns the proxy. */
  launch(port: number): Promise<ServerProcess>;
  log(): string;
}

// squid: "commBind: Cannot bind socket ... (98) Address already in use";
// dante: "bind of address 127.0.0.1.P ... failed: Address already in use".
const PORT_TAKEN = /address already in use/i;
const ATTEMPTS = 5;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntilReady(
  plan: ProxyStartPlan,
  port: number,
  deadline: number,
  proxy: ServerProcess,
): Promise<ProxyProbeOutcome> {
  let outcome: ProxyProbeOutcome = { kind: 'no-answer', reason: 'not tried' };
  while (Date.now() < deadline && !proxy.hasExited()) {
    outcome = await plan.probe(port, Math.max(100, Math.min(3000, deadline - Date.now())));
    if (outcome.kind !== 'no-answer') return outcome;
    await delay(50);
  }
  return outcome;
}

export async function startProxyWithRetry(plan: ProxyStartPlan): Promise<{ port: number; process: ServerProcess }> {
  const deadline = Date.now() + plan.timeoutMs;
  let lastReason = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const port = await pickFreePort();
    const logBefore = plan.log().length;
    const proxy = await plan.launch(port);
    const outcome = await waitUntilReady(plan, port, deadline, proxy);
    if (outcome.kind === 'ready' && !proxy.hasExited()) return { port, process: proxy };

    const exitedEarly = proxy.hasExited();
    await proxy.stop();
    const newLog = plan.log().slice(logBefore);
    if (outcome.kind === 'other-server') lastReason = `port ${port} answered as another server: ${outcome.detail}`;
    else if (PORT_TAKEN.test(newLog)) lastReason = `port ${port} was taken`;
    else {
      const probeResult = outcome.kind === 'no-answer' ? outcome.reason : 'ready, then exited';
      lastReason = exitedEarly ? `the proxy exited (${probeResult})` : probeResult;
      break;
    }
    if (Date.now() >= deadline) break;
  }
  throw new ProxyStartError(plan.kind, lastReason, plan.log());
}
