/** A proxy that did not come up; the message carries its log so the test failure explains itself. */
import type { ProxyKind } from './proxy';

export class ProxyStartError extends Error {
  readonly code = 'FTPSCTL_TESTBED_PROXY_START';

  constructor(
    readonly kind: ProxyKind,
    reason: string,
    readonly proxyLog: string,
  ) {
    super(`${kind} proxy did not start: ${reason}\n${proxyLog}`);
    this.name = 'ProxyStartError';
  }
}
