/**
 * The library's front door, in-process: `connect(profileFile, options)` is the managed, audited
 * session the CLI runs (issue 14). Against the embedded loopback server; the CLI's side of the
 * same promises is in test/cli.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { connect, exitCodeFor, isFtpsctlError, ManagedSession } from '../../src';
import type { EmbeddedServer } from '../../src/loopback/server';
import {
  auditActions,
  machinePolicy,
  startLibraryWorkspace,
  type LibraryWorkspace,
} from '../helpers/library-workspace';
import { runCli } from '../helpers/run-cli';

jest.setTimeout(60_000);

const PASSWORD = 'library-front-door-secret-5c1e';
let workspace: LibraryWorkspace;
let dir: string;
let server: EmbeddedServer;

beforeAll(async () => {
  workspace = await startLibraryWorkspace(PASSWORD);
  ({ dir, server } = workspace);
});
afterAll(() => workspace?.stop());

const profileFolder = (name: string, extra: Record<string, unknown> = {}): string =>
  workspace.profileFolder(name, extra);
const policyFolder = (name: string, files: Record<string, string>): string => workspace.policyFolder(name, files);
const policy = machinePolicy;
const actions = auditActions;

interface Event {
  event: { action: string; outcome?: string };
  ftpsctl: Record<string, unknown>;
  [field: string]: unknown;
}
const events = (file: string): Event[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);

async function refusal(promise: Promise<unknown>): Promise<{ code: string; exit: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (!isFtpsctlError(error)) throw error;
    return { code: error.code, exit: exitCodeFor(error.code), message: error.message };
  }
  throw new Error('expected a refusal');
}

describe('connect(profileFile, options): the managed front door', () => {
  it('every transfer records itself in the caller’s log and the log a policy mandates; relative paths come from the profile’s folder', async () => {
    const mandated = path.join(dir, 'mandated.jsonl');
    const callers = path.join(dir, 'callers.jsonl');
    const policies = policyFolder('policies-log', {
      'log.xml': policy('log', `<setting path="audit.logFile" enforce="mandatory">${mandated}</setting>`),
    });
    const profile = profileFolder('transfers', { transfer: { parallel: 2 } });
    writeFileSync(path.join(dir, 'upload.bin'), Buffer.alloc(300_000, 7));
    mkdirSync(path.join(dir, 'tree', 'sub'), { recursive: true });
    for (const name of ['a.txt', 'b.txt', 'sub/c.txt']) writeFileSync(path.join(dir, 'tree', name), `file ${name}\n`);

    const session = await connect(profile, { policies: [policies], auditLogFiles: [callers] });
    expect(session).toBeInstanceOf(ManagedSession);
    try {
      expect(session.tlsInfo()).toMatchObject({ version: 'TLSv1.3', protection: 'P' });
      const up = await session.upload(path.join(dir, 'upload.bin'), 'upload.bin');
      expect(up).toMatchObject({ direction: 'upload', bytes: 300_000 });
      const down = await session.download('upload.bin', path.join(dir, 'download.bin'));
      expect(down.sha256).toBe(up.sha256);
      expect(readFileSync(path.join(dir, 'download.bin'))).toEqual(Buffer.alloc(300_000, 7));
      const sink = new PassThrough();
      const chunks: Buffer[] = [];
      sink.on('data', (chunk: Buffer) => chunks.push(chunk));
      await session.get('upload.bin', sink);
      expect(Buffer.concat(chunks).length).toBe(300_000);
      await session.put(Readable.from([Buffer.from('streamed\n')]), 'streamed.txt');
      const mirrored = await session.mirror({ direction: 'upload', local: path.join(dir, 'tree'), remote: 'tree' });
      expect(mirrored.transferred).toHaveLength(3);
      expect(mirrored.failed).toEqual([]);
      expect((await session.list()).map((e) => e.name).sort()).toEqual(['streamed.txt', 'tree', 'upload.bin']);
    } finally {
      await session.close();
    }

    const transfers = events(callers).filter((e) => e.event.action === 'transfer');
    // upload, download, get, put, and the three mirrored files (some through the second connection)
    expect(transfers).toHaveLength(7);
    expect(transfers.every((e) => e.event.outcome === 'success')).toBe(true);
    expect(actions(callers)[0]).toMatch(/^session\.start/);
    expect(actions(callers)).toContain('session.end:success');
    // The mandated log gets every event the caller's log gets.
    expect(actions(mandated)).toEqual(actions(callers));
    expect(readFileSync(callers, 'utf8')).not.toContain(PASSWORD);
  });

  it('a failed transfer is recorded as one, and session.end says failure', async () => {
    const log = path.join(dir, 'failed.jsonl');
    const session = await connect(profileFolder('failing'), { auditLogFiles: [log] });
    try {
      const failed = await refusal(session.download('no-such-file.bin', path.join(dir, 'never.bin')));
      expect(failed).toMatchObject({ code: expect.stringMatching(/^FTPSCTL_ERR_/), exit: 6 });
      expect(existsSync(path.join(dir, 'never.bin'))).toBe(false);
    } finally {
      await session.close();
    }
    expect(actions(log)).toEqual([
      'session.start:unknown',
      'tls.established:success',
      'transfer:failure',
      'session.end:failure',
    ]);
  });

  it('mkdir, rename, delete and rmdir record themselves in the audit log, success or failure', async () => {
    const log = path.join(dir, 'changes.jsonl');
    const session = await connect(profileFolder('changes'), { auditLogFiles: [log] });
    try {
      await session.mkdir('lib-changes');
      writeFileSync(path.join(dir, 'change.bin'), 'x');
      await session.upload(path.join(dir, 'change.bin'), 'lib-changes/a.bin');
      await session.rename('lib-changes/a.bin', 'lib-changes/b.bin');
      await session.delete('lib-changes/b.bin');
      await session.rmdir('lib-changes');
      expect(await refusal(session.delete('lib-changes/gone.bin'))).toMatchObject({ exit: 6 });
    } finally {
      await session.close();
    }
    expect(actions(log)).toEqual([
      'session.start:unknown',
      'tls.established:success',
      'directory.create:success',
      'transfer:success',
      'file.rename:success',
      'file.delete:success',
      'directory.delete:success',
      'file.delete:failure',
      'session.end:failure',
    ]);
    const rename = events(log).find((e) => e.event.action === 'file.rename');
    expect(rename).toMatchObject({
      file: { path: 'lib-changes/b.bin' },
      ftpsctl: { renamed_from: 'lib-changes/a.bin' },
    });
  });

  it('Symbol.asyncDispose (await using) closes the session and writes session.end once', async () => {
    const log = path.join(dir, 'disposed.jsonl');
    const session = await connect(profileFolder('disposed'), { auditLogFiles: [log] });
    await session.list();
    await session[Symbol.asyncDispose]();
    await session.close(); // idempotent: no second session.end
    expect(actions(log)).toEqual(['session.start:unknown', 'tls.established:success', 'session.end:success']);
    expect(session.toJSON()).toMatchObject({ closed: true });
  });

  it('a refused profile: no connection, session.refused in every log, exit 4 as in the CLI', async () => {
    const mandated = path.join(dir, 'refused-mandated.jsonl');
    const callers = path.join(dir, 'refused-callers.jsonl');
    const policies = policyFolder('policies-refuse', {
      'hosts.xml': policy(
        'hosts',
        `<setting path="host" enforce="allow"><value>*.corp.example</value></setting><setting path="audit.logFile" enforce="mandatory">${mandated}</setting>`,
      ),
    });
    const profile = profileFolder('refused');
    const before = server.connections;
    const refused = await refusal(connect(profile, { policies: [policies], auditLogFiles: [callers] }));
    expect(refused).toMatchObject({ code: 'FTPSCTL_ERR_REFUSED_BY_POLICY', exit: 4 });
    expect(server.connections).toBe(before);
    expect(actions(callers)).toEqual(['session.refused:failure']);
    expect(actions(mandated)).toEqual(['session.refused:failure']);

    const cli = await runCli(['session', 'check', profile, '--policies', policies, '--json'], { cwd: dir });
    expect(cli.code).toBe(refused.exit);
    expect(JSON.parse(cli.stdout).error.code).toBe(refused.code);
  });

  it('a broken policy file is an input problem (exit 3) from the library as from the CLI', async () => {
    const policies = policyFolder('policies-broken', {
      'broken.xml': policy('broken', '<setting path="tls.fipMode" enforce="mandatory">true</setting>'),
    });
    const profile = profileFolder('broken-policy');
    const before = server.connections;
    const refused = await refusal(connect(profile, { policies: [policies] }));
    expect(refused).toMatchObject({ code: 'FTPSCTL_ERR_POLICY_INVALID', exit: 3 });
    expect(refused.message).toContain('broken.xml');
    expect(server.connections).toBe(before);
    const cli = await runCli(['session', 'check', profile, '--policies', policies, '--json'], { cwd: dir });
    expect(cli.code).toBe(3);
    expect(JSON.parse(cli.stdout).error.code).toBe('FTPSCTL_ERR_POLICY_INVALID');
  });

  it('resume is refused where transfer.resume is off, before anything moves', async () => {
    const policies = policyFolder('policies-no-resume', {
      'resume.xml': policy('no-resume', '<setting path="transfer.resume" enforce="mandatory">false</setting>'),
    });
    const log = path.join(dir, 'no-resume.jsonl');
    const session = await connect(profileFolder('no-resume'), { policies: [policies], auditLogFiles: [log] });
    try {
      const refused = await refusal(session.download('x', path.join(dir, 'x'), { resume: true }));
      expect(refused).toMatchObject({ code: 'FTPSCTL_ERR_USAGE', exit: 2 });
      expect(refused.message).toContain('transfer.resume');
    } finally {
      await session.close();
    }
    expect(actions(log)).not.toContain('transfer:failure');
  });

  it('secrets: a prompted password without a prompt fails with a usage error naming the fix', async () => {
    const refused = await refusal(connect(profileFolder('prompted', { password: 'prompt' })));
    expect(refused).toMatchObject({ code: 'FTPSCTL_ERR_USAGE', exit: 2 });
    expect(refused.message).toContain('{"env": "VAR"}');
  });
});
