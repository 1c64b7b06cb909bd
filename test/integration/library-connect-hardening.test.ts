/**
 * The library's managed front door under attack (issue 14 item 1): one test per defect an
 * independent review found by using `connect()` as a new user would (all fixed). Each test states the promise (README "Using the
 * library") and fails while the defect is there. Against the embedded loopback server.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import {
  connect,
  isFtpsctlError,
  loadPolicySet,
  loadProfile,
  ManagedSession,
  resolvedProfile,
  resolveProfile,
} from '../../src';
import type { EmbeddedServer } from '../../src/loopback/server';
import type { TestPki } from '../../src/loopback/pki';
import {
  auditActions,
  machinePolicy,
  startLibraryWorkspace,
  type LibraryWorkspace,
} from '../helpers/library-workspace';

jest.setTimeout(60_000);

const PASSWORD = 'review-front-door-secret-9f3a';
let workspace: LibraryWorkspace;
let dir: string;
let root: string;
let pki: TestPki;
let server: EmbeddedServer;

beforeAll(async () => {
  workspace = await startLibraryWorkspace(PASSWORD);
  ({ dir, root, pki, server } = workspace);
});
afterAll(() => workspace?.stop());

const profileFolder = (name: string, extra: Record<string, unknown> = {}): string =>
  workspace.profileFolder(name, extra);
const policyFolder = (name: string, files: Record<string, string>): string => workspace.policyFolder(name, files);
const policy = machinePolicy;
const actions = auditActions;

/** Settles within `ms`, or rejects naming what hung (a promise that never settles fails the test, not the run). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('the managed front door holds against a caller who tries to get around it', () => {
  it('util.inspect / console.log / JSON.stringify of a ManagedSession never show the password', async () => {
    const session = await connect(profileFolder('inspect'));
    try {
      // console.log(session) prints util.inspect(session) at depth 2.
      expect(inspect(session)).not.toContain(PASSWORD);
      expect(inspect(session, { depth: Infinity })).not.toContain(PASSWORD);
      expect(inspect(session, { depth: Infinity, customInspect: false, showHidden: true })).not.toContain(PASSWORD);
      expect(JSON.stringify(session)).not.toContain(PASSWORD);
    } finally {
      await session.close();
    }
  });

  it('an exception thrown inside onProgress rejects the download and is recorded as a failed transfer, then session.end', async () => {
    writeFileSync(path.join(root, 'progress.bin'), Buffer.alloc(200_000, 3));
    const log = path.join(dir, 'progress.jsonl');
    const session = await connect(profileFolder('progress'), { auditLogFiles: [log] });
    let rejection: unknown;
    try {
      await within(
        session.download('progress.bin', path.join(dir, 'progress.bin'), {
          onProgress: () => {
            throw new Error('caller progress display broke');
          },
        }),
        15_000,
        'download with a throwing onProgress',
      );
    } catch (error) {
      rejection = error;
    } finally {
      await within(session.close(), 15_000, 'close');
    }
    expect(String(rejection)).toContain('caller progress display broke');
    expect(actions(log)).toEqual([
      'session.start:unknown',
      'tls.established:success',
      'transfer:failure',
      'session.end:failure',
    ]);
  });

  it('mutating the public session.prepared cannot keep the mirror’s extra connections out of the log a policy mandates', async () => {
    const mandated = path.join(dir, 'mutated-mandated.jsonl');
    const policies = policyFolder('policies-mutated', {
      'log.xml': policy('log', `<setting path="audit.logFile" enforce="mandatory">${mandated}</setting>`),
    });
    mkdirSync(path.join(root, 'tree'), { recursive: true });
    const names = ['f1.txt', 'f2.txt', 'f3.txt', 'f4.txt', 'f5.txt', 'f6.txt', 'f7.txt', 'f8.txt'];
    for (const name of names) writeFileSync(path.join(root, 'tree', name), `${name}\n`.repeat(5_000));
    const session = await connect(profileFolder('mutated', { transfer: { parallel: 4 } }), { policies: [policies] });
    let transferred = 0;
    try {
      // A caller's code (or a dependency's) edits what `prepared` exposes; workers start from it.
      const prepared = session.prepared as { resolution: { auditLogFiles?: string[] }; settings: { audit?: unknown } };
      prepared.resolution.auditLogFiles = [];
      prepared.settings.audit = undefined;
      const report = await session.mirror({ remote: '/tree', local: path.join(dir, 'mutated-out') });
      transferred = report.transferred.length;
    } catch (error) {
      // Refusing the mutation (a frozen object) is a fine answer too.
      expect(error).toBeInstanceOf(TypeError);
    } finally {
      await session.close();
    }
    const recorded = actions(mandated).filter((a) => a.startsWith('transfer:')).length;
    expect(recorded).toBe(transferred);
  });

  it('a refusal writes session.refused to the profile’s relative audit.logFile anchored at its folder, whatever the working directory', async () => {
    const policies = policyFolder('policies-deny', {
      'deny.xml': policy('deny', '<setting path="host" enforce="deny"><value>127.0.0.1</value></setting>'),
    });
    const profile = profileFolder('relative-log', { audit: { logFile: 'session-audit.jsonl' } });
    // The caller's working directory happens to hold a folder of that name.
    const cwd = path.join(dir, 'elsewhere');
    mkdirSync(path.join(cwd, 'session-audit.jsonl'), { recursive: true });
    const before = process.cwd();
    let code = '';
    process.chdir(cwd);
    try {
      await connect(profile, { policies: [policies] });
    } catch (error) {
      code = isFtpsctlError(error) ? error.code : String(error);
    } finally {
      process.chdir(before);
    }
    expect(code).toBe('FTPSCTL_ERR_REFUSED_BY_POLICY');
    expect(actions(path.join(path.dirname(profile), 'session-audit.jsonl'))).toEqual(['session.refused:failure']);
  });

  it('the exported ManagedSession.start is no way around the machine’s policies (a hand-made resolution does not connect)', async () => {
    const machine = policyFolder('machine-deny', {
      'deny.xml': policy('machine-deny', '<setting path="host" enforce="deny"><value>127.0.0.1</value></setting>'),
    });
    // Absolute paths: resolvedProfile does not anchor, and nothing but the policy may stop this session.
    const profile = profileFolder('hand-made', {
      tls: { serverName: 'localhost', pki: { caFile: pki.caFile, useSystemTrustStore: false } },
    });
    const saved = process.env.FTPSCTL_MACHINE_POLICY_DIR;
    process.env.FTPSCTL_MACHINE_POLICY_DIR = machine; // the machine folder's stand-in (no /etc/ftpsctl here)
    const before = server.connections;
    let connectCode = '';
    let opened: ManagedSession | undefined;
    try {
      connectCode = await connect(profile).then(
        async (s) => (await s.close(), 'connected'),
        (error: unknown) => (isFtpsctlError(error) ? error.code : String(error)),
      );
      // What a caller can write with the public API alone: a resolution without the machine's policies.
      // The package offers no way to start a session from it (start was a public static before).
      const resolution = resolveProfile(await loadProfile(profile), await loadPolicySet([]));
      const library = (await import('../../src')) as Record<string, unknown>;
      for (const name of ['startManagedSession', 'openManagedSession', 'prepareSession', 'inManagedSession'])
        expect(library[name]).toBeUndefined();
      const start = (ManagedSession as unknown as { start?: (...args: unknown[]) => Promise<ManagedSession> }).start;
      expect(start).toBeUndefined();
      opened = await start?.(
        { profileFile: profile, resolution, settings: resolvedProfile(resolution) },
        { secrets: { env: {} }, credentials: { password: PASSWORD } },
      ).catch(() => undefined);
    } finally {
      await opened?.close();
      if (saved === undefined) delete process.env.FTPSCTL_MACHINE_POLICY_DIR;
      else process.env.FTPSCTL_MACHINE_POLICY_DIR = saved;
    }
    expect(connectCode).toBe('FTPSCTL_ERR_REFUSED_BY_POLICY');
    expect(opened).toBeUndefined();
    expect(server.connections).toBe(before);
  });

  it('a mirror that fails before any file moves ends, with the README’s try/finally close(), in session.end failure (as the CLI records it)', async () => {
    const log = path.join(dir, 'mirror-failed.jsonl');
    const session = await connect(profileFolder('mirror-failed'), { auditLogFiles: [log] });
    let code = '';
    try {
      await session.mirror({ remote: '/no-such-folder', local: path.join(dir, 'mirror-failed-out') });
    } catch (error) {
      code = isFtpsctlError(error) ? error.code : String(error);
    } finally {
      await session.close();
    }
    expect(code).toMatch(/^FTPSCTL_ERR_/);
    // `ftpsctl session mirror` on the same input writes session.end failure with this code.
    expect(actions(log).at(-1)).toBe('session.end:failure');
  });

  it('two downloads started at once on one session (Promise.all) are queued or refused as a usage error; the session stays usable', async () => {
    writeFileSync(path.join(root, 'together-1.txt'), 'one\n'.repeat(10_000));
    writeFileSync(path.join(root, 'together-2.txt'), 'two\n'.repeat(10_000));
    const session = await connect(profileFolder('together'));
    try {
      const results = await Promise.allSettled([
        session.download('together-1.txt', path.join(dir, 'together-1.txt')),
        session.download('together-2.txt', path.join(dir, 'together-2.txt')),
      ]);
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        const reason: unknown = result.reason;
        // Not an internal error (exit 1), and not a broken session.
        expect(isFtpsctlError(reason) ? reason.code : String(reason)).toBe('FTPSCTL_ERR_USAGE');
      }
      expect((await session.list('/')).map((e) => e.name)).toContain('together-1.txt');
    } finally {
      await session.close();
    }
  });

  it('a secret source that fails (unset environment variable) refuses before connecting and writes session.refused', async () => {
    const log = path.join(dir, 'secret-refused.jsonl');
    const profile = profileFolder('unset-env', { password: { env: 'FTPSCTL_REVIEW_UNSET_PASSWORD' } });
    const before = server.connections;
    let code = '';
    try {
      await connect(profile, { auditLogFiles: [log], secrets: { env: {} } });
    } catch (error) {
      code = isFtpsctlError(error) ? error.code : String(error);
    }
    expect(code).toBe('FTPSCTL_ERR_PROFILE_INVALID'); // an input problem (exit 3): the profile names the source
    expect(server.connections).toBe(before);
    expect(actions(log)).toEqual(['session.refused:failure']);
  });
});
