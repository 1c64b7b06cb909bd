/**
 * A managed session whose mandated audit log can no longer be written (EFBIG: the process's
 * file-size limit, as a full disk gives ENOSPC) does not go on changing the server: every later
 * operation fails with that FTPSCTL_ERR_AUDIT_LOG before anything is sent (found in review).
 * The library as a program uses it (the built package, `npm run build:dist` first), in a
 * child process with `ulimit -f`, against the embedded loopback server.
 */
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLibraryWorkspace, type LibraryWorkspace } from '../helpers/library-workspace';
import { repoRoot } from '../helpers/run-cli';

jest.setTimeout(60_000);

const PASSWORD = 'review-audit-full-log-3c9a';
let workspace: LibraryWorkspace;

beforeAll(async () => {
  workspace = await startLibraryWorkspace(PASSWORD);
});
afterAll(() => workspace?.stop());

/** The program: connect, fill the log up to the limit, then delete two files, each call's result kept. */
const PROGRAM = `
const { appendFileSync } = require('node:fs');
const { connect } = require(${JSON.stringify(path.join(repoRoot, 'dist/src/index.js'))});
const [profile, log] = process.argv.slice(2);
(async () => {
  const results = [];
  const session = await connect(profile, { auditLogFiles: [log] });
  try {
    // The log reaches the file-size limit (blank lines: nothing a reader would count).
    try { appendFileSync(log, Buffer.alloc(1 << 20, 0x0a)); } catch (error) { results.push('filler:' + error.code); }
    for (const name of ['first.txt', 'second.txt']) {
      results.push(await session.delete(name).then(() => name + ':ok', (error) => name + ':' + error.code));
    }
  } finally {
    await session.close().catch((error) => results.push('close:' + error.code));
  }
  process.stdout.write(JSON.stringify(results));
})().catch((error) => { process.stdout.write(JSON.stringify({ crashed: String(error) })); });
`;

function runLimited(script: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // ulimit -f counts 1024-byte blocks in bash: 32 KiB is room for session.start and tls.established.
    execFile(
      '/bin/bash',
      ['-c', 'ulimit -f 32 && exec "$0" "$@"', process.execPath, script, ...args],
      { timeout: 30_000, env: { ...process.env, FTPSCTL_POLICY_DIR: '' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe('a managed session whose audit log fails', () => {
  it('refuses further changes to the server once an event could not be written (fail closed)', async () => {
    writeFileSync(path.join(workspace.root, 'first.txt'), 'one\n');
    writeFileSync(path.join(workspace.root, 'second.txt'), 'two\n');
    const script = path.join(workspace.dir, 'full-log-program.js');
    writeFileSync(script, PROGRAM);
    const log = path.join(workspace.dir, 'full-log.jsonl');
    const run = await runLimited(script, [workspace.profileFolder('full-log'), log]);
    expect(run.stderr).not.toContain(PASSWORD);
    const results = JSON.parse(run.stdout) as string[];
    // The first DELE ran; its event could not be written: the call says so (exit 6 in the CLI).
    expect(results.slice(0, 2)).toEqual(['filler:EFBIG', 'first.txt:FTPSCTL_ERR_AUDIT_LOG']);
    expect(existsSync(path.join(workspace.root, 'first.txt'))).toBe(false);
    // After that, the session must not carry on unaudited: the second DELE is never sent.
    expect(results[2]).not.toBe('second.txt:ok');
    expect(existsSync(path.join(workspace.root, 'second.txt'))).toBe(true);
  });
});
