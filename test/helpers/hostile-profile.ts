/**
 * A hostile server (packages/testbed) with the test PKI, and a session profile that reaches it:
 * the set-up of the CLI hardening suites. `run` gets the profile file; the server stops after it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startHostileServer, type HostileScript } from '../../packages/testbed/src/hostile-server';
import type { TestPki } from '../../src/loopback/pki';

export async function withHostileProfile<T>(
  options: {
    dir: string;
    pki: TestPki;
    name: string;
    passwordEnv: string;
    transfer?: Record<string, unknown>;
    /** More profile fields (network, ...), merged last. */
    profile?: Record<string, unknown>;
  },
  script: HostileScript,
  run: (profileFile: string) => Promise<T>,
): Promise<T> {
  const { dir, pki, name } = options;
  const server = await startHostileServer(script, { pki: { cert: pki.server.cert, key: pki.server.key } });
  try {
    const profile = path.join(dir, `${name}.json`);
    writeFileSync(
      profile,
      JSON.stringify({
        name,
        host: '127.0.0.1',
        port: server.port,
        user: 'alice',
        password: { env: options.passwordEnv },
        tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
        ...(options.transfer ? { transfer: options.transfer } : {}),
        ...options.profile,
      }),
    );
    return await run(profile);
  } finally {
    await server.stop();
  }
}
