/**
 * A ready-to-use loopback FTPS set-up in one folder: a fresh test PKI (`pki/`), the folder the
 * server serves as `/` (`server-root/`), a throwaway password in a 0600 file (`demo-password`),
 * the embedded FTPS server on 127.0.0.1, and a session profile (`demo-loopback.json`) that
 * reaches it with chain validation against the test CA. Used by `ftpsctl demo` and by
 * `ftpsctl demo serve`, which keeps it running so users can try `ftpsctl session ...` by hand.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTestPki } from '../loopback/pki';
import { startEmbeddedServer, type EmbeddedServer } from '../loopback/server';
import { profileSchemaFile } from '../settings/package-root';
import type { SessionProfile } from '../settings/generated/session-profile';
import { makeFolders } from '../files/make-folders';

export const LOOPBACK_USER = 'demo';
export const LOOPBACK_PROFILE_FILE = 'demo-loopback.json';

export interface LoopbackWorkspace {
  /** The folder holding everything below. */
  dir: string;
  server: EmbeddedServer;
  serverRoot: string;
  profile: SessionProfile;
  /** Absolute path of the profile file. */
  profileFile: string;
}

/**
 * Creates the set-up in `dir` (created if missing) and starts the server on `port`
 * (0: the system picks). The password never appears in argv, env or a log.
 */
export async function startLoopbackWorkspace(dir: string, options: { port?: number } = {}): Promise<LoopbackWorkspace> {
  await makeFolders(dir);
  const pki = await createTestPki(path.join(dir, 'pki'));
  const serverRoot = path.join(dir, 'server-root');
  await makeFolders(serverRoot);
  const password = randomBytes(18).toString('base64url');
  await writeFile(path.join(dir, 'demo-password'), `${password}\n`, { mode: 0o600 });
  const server = await startEmbeddedServer({
    root: serverRoot,
    users: [{ user: LOOPBACK_USER, password }],
    pki: { cert: pki.server.cert, key: pki.server.key },
    ...(options.port ? { port: options.port } : {}),
  });
  const profile: SessionProfile = {
    $schema: profileSchemaFile(),
    name: 'demo-loopback',
    host: '127.0.0.1',
    port: server.port,
    user: LOOPBACK_USER,
    password: { file: 'demo-password' },
    tls: { serverName: 'localhost', pki: { caFile: 'pki/ca-cert.pem', useSystemTrustStore: false } },
    transfer: { verify: 'hash' },
  };
  const profileFile = path.join(dir, LOOPBACK_PROFILE_FILE);
  try {
    await writeFile(profileFile, `${JSON.stringify(profile, null, 2)}\n`);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { dir, server, serverRoot, profile, profileFile };
}
