/** A server that did not come up; the message carries its log so the test failure explains itself. */
import type { RealServerKind } from './real-server';

export class RealServerStartError extends Error {
  readonly code = 'FTPSCTL_TESTBED_SERVER_START';

  constructor(
    readonly kind: RealServerKind,
    reason: string,
    readonly serverLog: string,
  ) {
    super(`${kind} did not start: ${reason}\n${serverLog}`);
    this.name = 'RealServerStartError';
  }
}
