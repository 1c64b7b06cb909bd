/**
 * Waits until a proxy's log shows at least `atLeast` finished connections: squid logs a
 * CONNECT when its tunnel closes, dante a session from one of its child processes, both a
 * moment after the client is done.
 */
import type { RunningProxy } from './proxy';

export async function waitForLoggedConnections(
  proxy: RunningProxy,
  atLeast: number,
  timeoutMs = 5000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (proxy.connectionsSeen() < atLeast && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25));
  return proxy.connectionsSeen();
}
