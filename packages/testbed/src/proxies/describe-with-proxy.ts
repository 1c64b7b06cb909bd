/**
 * jest `describe` for suites that need a real proxy. Without it the suite is skipped with
 * the reason in its name, except under FTPSCTL_REQUIRE_REAL_SERVERS=1 (CI), where it fails,
 * as real-server suites do (real-servers/describe-with-server.ts).
 */
import { describe, test } from '@jest/globals';
import { requireRealServers } from '../real-servers/server-installation';
import type { ProxyKind } from './proxy';
import { whyProxyUnavailable } from './proxy-installation';

export function describeWithProxy(kind: ProxyKind, name: string, fn: () => void): void {
  const problem = whyProxyUnavailable(kind);
  if (problem === undefined) {
    describe(name, fn);
  } else if (requireRealServers()) {
    describe(name, () => {
      test(`${kind} proxy is available`, () => {
        throw new Error(
          `${problem}\nFTPSCTL_REQUIRE_REAL_SERVERS=1 is set, so real-proxy suites fail instead of skipping.`,
        );
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${problem})`, fn);
  }
}
