/**
 * The engine opens a download's local file with O_NOFOLLOW: a symbolic link put in the part
 * file's place after downloadFile's lstat (a race) is refused (FTPSCTL_ERR_LOCAL_FILE, ELOOP),
 * never written through, fresh or resumed. A regular file is still written.
 */
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';
import { openSession } from '../../src/engine';
import { SessionError } from '../../src/errors';
import { engineSettingsFor } from '../helpers/engine-settings';

jest.setTimeout(30_000);

const PASSWORD = 'nofollow-test-secret-0b7e';
let pki: TestPki;
let dir: string;
let root: string;
let server: EmbeddedServer;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-nofollow-'));
  pki = await createTestPki(path.join(dir, 'pki'));
  root = mkdtempSync(path.join(dir, 'root-'));
  writeFileSync(path.join(root, 'remote.txt'), 'from the server');
  server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
  });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine get and a symbolic link as its local file', () => {
  it.each([0, 4])('refuses to write through a link (offset %d) and leaves its target as it was', async (offset) => {
    const target = path.join(dir, `target-${offset}.txt`);
    writeFileSync(target, 'keep this');
    const link = path.join(dir, `link-${offset}.ftpsctl-part`);
    symlinkSync(target, link);
    const session = await openSession(engineSettingsFor(server.port, pki.caFile), { password: PASSWORD });
    try {
      const error = await session.get('remote.txt', link, { offset }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SessionError);
      expect((error as SessionError).code).toBe('FTPSCTL_ERR_LOCAL_FILE');
      expect((error as SessionError).message).toContain(`cannot write the local file ${link}: `);
      expect((error as SessionError).message).toContain('(ELOOP)');
      expect(readFileSync(target, 'utf8')).toBe('keep this');
      // The session is still in step: the next download works.
      const plain = path.join(dir, `plain-${offset}.txt`);
      await session.get('remote.txt', plain);
      expect(readFileSync(plain, 'utf8')).toBe('from the server');
    } finally {
      await session.close();
    }
  });
});
