/**
 * Review s5 (uploads checked against the file as opened, put --resume's MDTM rule), against the
 * embedded loopback server (throttled uploads, so a test can act while bytes flow).
 *
 * Found:
 * - `touch` (mtime only, content unchanged) while a file is uploaded: assertUnchanged compares
 *   size and mtime only, so the upload fails FTPSCTL_ERR_LOCAL_FILE "the server holds the bytes
 *   read, which are no version of it", and the server's copy, a byte-exact copy of the file,
 *   is DELEted. ManagedSession asks for the SHA-256 of the bytes sent anyway (sha256: true), so
 *   whether the content changed could be told by hashing the file again.
 * - put --resume after an interrupted upload during which the local file was rewritten: the
 *   part's MDTM (its last write, when the first attempt was cut) is later than the local
 *   file's mtime (the rewrite came before the cut), so upload-resume.ts continues it: the
 *   server ends up holding the old version's head and the new version's tail, "verified by
 *   size", success. The MDTM rule only catches a change after the interrupted attempt.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect, isFtpsctlError } from '../../src';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { startEmbeddedServer, type EmbeddedServer } from '../../src/loopback/server';

jest.setTimeout(90_000);

const PASSWORD = 'review-s5-upload-3c9e';
const MIB = 1024 * 1024;
let dir: string;
let root: string;
let pki: TestPki;
let server: EmbeddedServer;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-s5-upload-'));
  pki = await createTestPki(path.join(dir, 'pki'));
  root = mkdtempSync(path.join(dir, 'root-'));
  server = await startEmbeddedServer({
    root,
    users: [{ user: 'alice', password: PASSWORD }],
    pki: { cert: pki.server.cert, key: pki.server.key },
    uploadBytesPerSecond: 2 * MIB,
  });
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function profile(name: string, verify: string): string {
  const folder = path.join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'password.txt'), `${PASSWORD}\n`, { mode: 0o600 });
  const file = path.join(folder, 'profile.json');
  writeFileSync(
    file,
    JSON.stringify({
      name,
      host: '127.0.0.1',
      port: server.port,
      user: 'alice',
      password: { file: 'password.txt' },
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
      transfer: { verify },
    }),
  );
  return file;
}

const outcomeOf = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'success',
    (error: unknown) => (isFtpsctlError(error) ? error.code : `not an FtpsctlError: ${String(error)}`),
  );

it('a file only touched (mtime, same bytes) while it is sent: the exact copy on the server is not deleted', async () => {
  const local = path.join(dir, 'touched.bin');
  const content = Buffer.alloc(3 * MIB, 0x54);
  writeFileSync(local, content);
  const anHourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(local, anHourAgo, anHourAgo);
  const session = await connect(profile('touched', 'size'));
  let touched = false;
  const outcome = await outcomeOf(
    session.upload(local, 'touched.bin', {
      onProgress: (bytes) => {
        if (!touched && bytes > MIB) {
          touched = true;
          const now = new Date();
          utimesSync(local, now, now); // what `touch` does: the bytes stay
        }
      },
    }),
  );
  await session.close();
  expect(touched).toBe(true);
  expect(readFileSync(local).equals(content)).toBe(true);
  const remote = path.join(root, 'touched.bin');
  const stored = (() => {
    try {
      return readFileSync(remote);
    } catch {
      return undefined;
    }
  })();
  // Found: { outcome: 'FTPSCTL_ERR_LOCAL_FILE', stored: 'deleted' } although every byte sent was the file's.
  expect({ outcome, stored: stored === undefined ? 'deleted' : stored.equals(content) ? 'the file' : 'other' }).toEqual(
    {
      outcome: 'success',
      stored: 'the file',
    },
  );
});

// A resume after an attempt that was cut while the file was rewritten can still store old head +
// new tail: the remote part's MDTM is its last write (at the cut), after the rewrite. Known limit
// (RELIABILITY U2): telling it would need a hash of the remote part; the test was removed.
