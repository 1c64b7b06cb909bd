/**
 * Review (mirror --reverse, the local tree): against the embedded loopback server, in-process.
 *
 * README: "`session mirror` never follows a symbolic link inside its local folder"; mirror.ts:
 * "Uploads: symbolic links and special files are refused and reported". That holds for what the
 * plan sees (readdir's Dirent), but the upload itself opens `item.local` by path without
 * O_NOFOLLOW and without checking the folders above it again (downloads do: ensureFolderWithin
 * right before each file). Found:
 * - A file of the plan replaced by a symbolic link before its turn (anyone who can write in the
 *   mirrored folder, e.g. a shared outbox a root cron job mirrors) is followed: the link's target,
 *   outside the tree, is uploaded, and the event says success with its SHA-256.
 * - The same with a folder of the plan replaced by a link to a folder outside the tree.
 * - A folder whose name is not valid UTF-8 can't be read (readdir gives U+FFFD), and is refused,
 *   but its remote folder (with U+FFFD in its name) is created first: a directory.create event
 *   and an empty, wrongly named folder on the server for a folder that is reported as not mirrored.
 */
import {
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
  readdirSync,
} from 'node:fs';
import path from 'node:path';
import { connect } from '../../src';
import { startLibraryWorkspace, type LibraryWorkspace } from '../helpers/library-workspace';

jest.setTimeout(60_000);

const PASSWORD = 'review-upload-tree-c0a7';
let workspace: LibraryWorkspace;
beforeAll(async () => {
  workspace = await startLibraryWorkspace(PASSWORD);
});
afterAll(() => workspace?.stop());

interface AuditLine {
  event: { action: string; outcome: string };
  file?: { path: string; hash?: { sha256: string } };
}

const events = (log: string): AuditLine[] =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditLine);

describe('mirror --reverse: the tree changes between the plan and a file’s turn', () => {
  it('a file replaced by a symbolic link to a file outside the tree is not uploaded through the link', async () => {
    const base = path.join(workspace.dir, 'swap-file');
    const tree = path.join(base, 'outbox');
    mkdirSync(tree, { recursive: true });
    const secret = path.join(base, 'secret.key');
    writeFileSync(secret, 'PRIVATE KEY MATERIAL, never to leave this machine\n');
    writeFileSync(path.join(tree, 'a-report.csv'), 'report\n');
    writeFileSync(path.join(tree, 'b-invoice.csv'), 'invoice\n');
    const log = path.join(base, 'audit.jsonl');
    const session = await connect(workspace.profileFolder('swap-file-profile', { transfer: { parallel: 1 } }), {
      auditLogFiles: [log],
    });
    try {
      await session.mirror({
        direction: 'upload',
        local: tree,
        remote: '/swap-file',
        onFileStart: (item) => {
          // The first file's turn: the second is swapped for a link to the secret.
          if (item.local.endsWith('a-report.csv')) {
            rmSync(path.join(tree, 'b-invoice.csv'));
            symlinkSync(secret, path.join(tree, 'b-invoice.csv'));
          }
          return () => undefined;
        },
      });
    } finally {
      await session.close();
    }
    const uploaded = path.join(workspace.root, 'swap-file', 'b-invoice.csv');
    const leaked = existsSync(uploaded) ? readFileSync(uploaded, 'utf8') : undefined;
    const invoiceEvent = events(log).find(
      (e) => e.event.action === 'transfer' && e.file?.path.endsWith('b-invoice.csv'),
    );
    // Found: the secret's bytes are on the server as b-invoice.csv, event outcome success.
    expect({ leaked, outcome: invoiceEvent?.event.outcome }).toEqual({ leaked: undefined, outcome: 'failure' });
  });

  it('a folder replaced by a symbolic link to a folder outside the tree is not uploaded through the link', async () => {
    const base = path.join(workspace.dir, 'swap-folder');
    const tree = path.join(base, 'outbox');
    const outside = path.join(base, 'home-ssh');
    mkdirSync(path.join(tree, 'keys'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(tree, 'a-first.txt'), 'first\n');
    writeFileSync(path.join(tree, 'keys', 'id.txt'), 'public, fine to share\n');
    writeFileSync(path.join(outside, 'id.txt'), 'PRIVATE KEY MATERIAL\n');
    const session = await connect(workspace.profileFolder('swap-folder-profile', { transfer: { parallel: 1 } }));
    try {
      await session.mirror({
        direction: 'upload',
        local: tree,
        remote: '/swap-folder',
        onFileStart: (item) => {
          if (item.local.endsWith('a-first.txt')) {
            renameSync(path.join(tree, 'keys'), path.join(base, 'keys-moved'));
            symlinkSync(outside, path.join(tree, 'keys'));
          }
          return () => undefined;
        },
      });
    } finally {
      await session.close();
    }
    const uploaded = path.join(workspace.root, 'swap-folder', 'keys', 'id.txt');
    // Found: 'PRIVATE KEY MATERIAL\n' on the server.
    expect(existsSync(uploaded) ? readFileSync(uploaded, 'utf8') : undefined).not.toBe('PRIVATE KEY MATERIAL\n');
  });
});

describe('mirror --reverse: local names', () => {
  it('a folder whose name is not UTF-8 is refused without creating a remote folder for it', async () => {
    const base = path.join(workspace.dir, 'latin1');
    const tree = path.join(base, 'tree');
    mkdirSync(tree, { recursive: true });
    // "Café" in Latin-1: 0xE9 is not UTF-8 on its own.
    const folder = Buffer.concat([Buffer.from(`${tree}/Caf`), Buffer.from([0xe9])]);
    mkdirSync(folder);
    writeFileSync(Buffer.concat([folder, Buffer.from('/menu.txt')]), 'menu\n');
    const log = path.join(base, 'audit.jsonl');
    const session = await connect(workspace.profileFolder('latin1-profile'), { auditLogFiles: [log] });
    let report;
    try {
      report = await session.mirror({ direction: 'upload', local: tree, remote: '/latin1' });
    } finally {
      await session.close();
    }
    const remoteNames = readdirSync(path.join(workspace.root, 'latin1'));
    const created = events(log)
      .filter((e) => e.event.action === 'directory.create')
      .map((e) => e.file?.path);
    expect(report.refused.map((r) => r.path)).toEqual([path.join(tree, 'Caf\uFFFD')]);
    // Found: remoteNames ['Caf\uFFFD'], created ['/latin1', '/latin1/Caf\uFFFD'].
    expect({ remoteNames, created }).toEqual({ remoteNames: [], created: ['/latin1'] });
  });
});
