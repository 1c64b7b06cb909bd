/**
 * jest `describe` for suites that need a real server. Without the server the suite is
 * skipped with the reason in its name, except under FTPSCTL_REQUIRE_REAL_SERVERS=1 (CI),
 * where it fails: a CI run that silently skipped its interop tests would prove nothing.
 */
import { describe, test } from '@jest/globals';
import type { RealServerKind } from './real-server';
import { requireRealServers, whyServerUnavailable } from './server-installation';

export function describeWithServer(kind: RealServerKind, name: string, fn: () => void): void {
  const problem = whyServerUnavailable(kind);
  if (problem === undefined) {
    describe(name, fn);
  } else if (requireRealServers()) {
    describe(name, () => {
      test(`${kind} is available`, () => {
        throw new Error(
          `${problem}\nFTPSCTL_REQUIRE_REAL_SERVERS=1 is set, so real-server suites fail instead of skipping.`,
        );
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${problem})`, fn);
  }
}
