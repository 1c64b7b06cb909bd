/**
 * Hostile files a profile or a policy names (issue 12, defects 4 and 5; issue 9, item 8), as
 * users meet them: the built binary, `profile validate`, `resolve` and `session check`. Each
 * case asserts the exit code, the message (file:line:col, pointer, what the file is) and that
 * the child exits by itself within a bound: a FIFO or /dev/zero must never hang the command.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary } from '../helpers/run-cli';
import { SAMPLE_CA_PEM, SAMPLE_CRL_PEM } from '../fixtures/pem/sample-pem';

jest.setTimeout(120_000);

/** A hang bound, not a speed target: a healthy run takes about a second. */
const HANG_BOUND_MS = 20_000;

interface BoundedRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the child had to be killed at HANG_BOUND_MS. */
  hung: boolean;
}

function runBounded(args: string[], env: NodeJS.ProcessEnv = {}): Promise<BoundedRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [binary, ...args], {
      env: { ...process.env, NO_COLOR: '1', FTPSCTL_POLICY_DIR: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    let hung = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      hung = true;
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, HANG_BOUND_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, hung });
    });
  });
}

let dir: string;
let profiles: string;
let files: string;
let policies: string;
const at = (name: string): string => path.join(files, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-cli-named-files-'));
  profiles = path.join(dir, 'profiles');
  files = path.join(dir, 'files');
  policies = path.join(dir, 'policies');
  for (const folder of [profiles, files, policies, at('folder')]) mkdirSync(folder, { recursive: true });
  for (const fifo of [
    'pw.fifo',
    'ca.fifo',
    'key.fifo',
    'passphrase.fifo',
    'proxy-ca.fifo',
    'proxy-pw.fifo',
    'policy-ca.fifo',
  ])
    execFileSync('mkfifo', ['-m', '600', fifo === 'policy-ca.fifo' ? path.join(policies, fifo) : at(fifo)]);
  // A /dev/zero of our own (mode 600, as in the issue) where we may make device nodes; /dev/zero itself otherwise.
  try {
    execFileSync('mknod', ['-m', '600', at('zero'), 'c', '1', '5']);
  } catch {
    execFileSync('ln', ['-s', '/dev/zero', at('zero')]);
  }
  // 200 MB, sparse: the size is what is checked, and it is never read.
  for (const big of ['pw.huge', 'ca.crl.huge']) {
    closeSync(openSync(at(big), 'w', 0o600));
    execFileSync('truncate', ['-s', '200M', at(big)]);
  }
  writeFileSync(at('ok.pem'), SAMPLE_CA_PEM, { mode: 0o644 });
  writeFileSync(at('ok.crl'), SAMPLE_CRL_PEM, { mode: 0o644 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a profile pretty-printed (2 spaces) and returns its path and a locator for values. */
function profile(name: string, extra: Record<string, unknown>): { file: string; where: (value: string) => string } {
  const text = `${JSON.stringify({ name, host: '127.0.0.1', port: 1, user: 'alice', password: { env: 'FTPSCTL_TEST_PW' }, ...extra }, null, 2)}\n`;
  const file = path.join(profiles, `${name}.json`);
  writeFileSync(file, text);
  const where = (value: string): string => {
    const offset = text.indexOf(`"${value}"`);
    const before = text.slice(0, offset).split('\n');
    return `${file}:${before.length}:${before[before.length - 1].length + 1}`;
  };
  return { file, where };
}

const FIFO = 'is a FIFO (named pipe), not a regular file; give the path of';
const SECRET = 'a password or passphrase file (the secret on its first line)';

describe('profile validate: every file a profile names', () => {
  it('reports each hostile file at file:line:col with its pointer, exit 3, without hanging', async () => {
    const rel = (name: string): string => `../files/${name}`;
    const { file, where } = profile('every-file', {
      password: { file: rel('pw.fifo') },
      tls: {
        pki: {
          caFile: rel('folder'),
          revocation: 'crl',
          crlFiles: [rel('ok.crl'), rel('ca.crl.huge')],
          clientCertificate: {
            certFile: rel('zero'),
            keyFile: rel('missing.key'),
            passphrase: { file: rel('passphrase.fifo') },
          },
        },
      },
      proxy: {
        enabled: true,
        host: 'proxy.example',
        port: 3128,
        caFile: rel('proxy-ca.fifo'),
        authorization: { user: 'u', password: { file: rel('pw.huge') } },
      },
    });
    const run = await runBounded(['profile', 'validate', file]);
    expect(run.hung).toBe(false);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe('');
    const shown = (name: string): string => `${rel(name)} (${at(name)})`;
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      `${where(rel('pw.fifo'))} /password/file password.file: ${shown('pw.fifo')} ${FIFO} ${SECRET}`,
      `${where(rel('folder'))} /tls/pki/caFile tls.pki.caFile: ${shown('folder')} is a directory, not a regular file; give the path of a PEM certificate file`,
      `${where(rel('ca.crl.huge'))} /tls/pki/crlFiles/1 tls.pki.crlFiles[1]: ${shown('ca.crl.huge')} is 209715200 bytes; a PEM CRL file is at most 10 MiB (10485760 bytes): is this the right file?`,
      `${where(rel('zero'))} /tls/pki/clientCertificate/certFile tls.pki.clientCertificate.certFile: ${shown('zero')} is a character device, not a regular file; give the path of a PEM certificate file`,
      `${where(rel('missing.key'))} /tls/pki/clientCertificate/keyFile tls.pki.clientCertificate.keyFile: ${shown('missing.key')} does not exist; check the path (a relative path is read from the folder of the file that names it)`,
      `${where(rel('passphrase.fifo'))} /tls/pki/clientCertificate/passphrase/file tls.pki.clientCertificate.passphrase.file: ${shown('passphrase.fifo')} ${FIFO} ${SECRET}`,
      `${where(rel('proxy-ca.fifo'))} /proxy/caFile proxy.caFile: ${shown('proxy-ca.fifo')} ${FIFO} a PEM certificate file`,
      `${where(rel('pw.huge'))} /proxy/authorization/password/file proxy.authorization.password.file: ${shown('pw.huge')} is 209715200 bytes; ${SECRET} is at most 4 KiB (4096 bytes): is this the right file?`,
    ]);
  });

  it('--json carries each problem with pointer, line and column', async () => {
    const { file, where } = profile('json-fifo', { tls: { pki: { caFile: at('ca.fifo') } } });
    const run = await runBounded(['profile', 'validate', file, '--json']);
    expect(run).toMatchObject({ hung: false, code: 3 });
    const [, line, column] = where(at('ca.fifo')).slice(file.length).split(':').map(Number);
    expect(JSON.parse(run.stdout)).toEqual({
      results: [
        {
          file,
          valid: false,
          errors: [
            {
              pointer: '/tls/pki/caFile',
              line,
              column,
              message: `tls.pki.caFile: ${at('ca.fifo')} ${FIFO} a PEM certificate file`,
            },
          ],
        },
      ],
    });
  });
});

describe('resolve and session check refuse the same files before any connection (exit 3)', () => {
  const cases: Array<
    [title: string, extra: () => Record<string, unknown>, pointer: string, value: () => string, detail: string]
  > = [
    [
      'a password file that is a FIFO',
      () => ({ password: { file: at('pw.fifo') } }),
      '/password/file',
      () => at('pw.fifo'),
      `${FIFO} ${SECRET}`,
    ],
    [
      'a password file that is a character device',
      () => ({ password: { file: at('zero') } }),
      '/password/file',
      () => at('zero'),
      `is a character device, not a regular file; give the path of ${SECRET}`,
    ],
    [
      'a password file that is a directory',
      () => ({ password: { file: at('folder') } }),
      '/password/file',
      () => at('folder'),
      `is a directory, not a regular file; give the path of ${SECRET}`,
    ],
    [
      'a password file of 200 MB',
      () => ({ password: { file: at('pw.huge') } }),
      '/password/file',
      () => at('pw.huge'),
      `is 209715200 bytes; ${SECRET} is at most 4 KiB (4096 bytes): is this the right file?`,
    ],
    [
      'a caFile that is a FIFO',
      () => ({ tls: { pki: { caFile: at('ca.fifo') } } }),
      '/tls/pki/caFile',
      () => at('ca.fifo'),
      `${FIFO} a PEM certificate file`,
    ],
    [
      'a key file that is a FIFO',
      () => ({ tls: { pki: { clientCertificate: { certFile: at('ok.pem'), keyFile: at('key.fifo') } } } }),
      '/tls/pki/clientCertificate/keyFile',
      () => at('key.fifo'),
      `${FIFO} a PEM private key file`,
    ],
  ];

  for (const command of [['resolve'], ['session', 'check']]) {
    it.each(cases)(`${command.join(' ')}: %s`, async (title, extra, pointer, value, detail) => {
      const { file, where } = profile(`${command.join('-')}-${title.replace(/\W+/g, '-')}`, extra());
      const run = await runBounded([...command, file, '--json'], { FTPSCTL_TEST_PW: 'x' });
      expect(run.hung).toBe(false);
      expect(run.code).toBe(3);
      const error = (JSON.parse(run.stdout) as { error: { code: string; message: string; problems: unknown[] } }).error;
      expect(error.code).toBe('FTPSCTL_ERR_PROFILE_INVALID');
      expect(error.message).toContain(`${where(value())} ${pointer} `);
      expect(error.message).toContain(`${value()} ${detail}`);
      const human = await runBounded([...command, file], { FTPSCTL_TEST_PW: 'x' });
      expect(human).toMatchObject({ hung: false, code: 3 });
      expect(human.stderr).toContain(`${where(value())} ${pointer} `);
      expect(human.stderr).not.toMatch(/\n\s+at .*\(.*\.js:\d+:\d+\)/); // no stack trace
    });
  }
});

describe('a file a policy supplies is checked at resolve time, with the policy as provenance', () => {
  beforeAll(() => {
    writeFileSync(
      path.join(policies, '10-ca.xml'),
      '<policy xmlns="urn:ftpsctl:policy:1" name="hostile-ca" scope="machine" priority="100">\n  <setting path="tls.pki.caFile" enforce="mandatory">policy-ca.fifo</setting>\n</policy>\n',
    );
  });

  for (const command of [['resolve'], ['session', 'check']]) {
    it(`${command.join(' ')}: a mandatory caFile that is a FIFO, relative to the policy folder`, async () => {
      const { file } = profile(`policy-${command.join('-')}`, {});
      const run = await runBounded([...command, file, '--policies', policies], { FTPSCTL_TEST_PW: 'x' });
      expect(run.hung).toBe(false);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(
        `${path.join(policies, '10-ca.xml')}:2:3 tls.pki.caFile (mandatory in policy hostile-ca): policy-ca.fifo (${path.join(policies, 'policy-ca.fifo')}) ${FIFO} a PEM certificate file`,
      );
      const json = await runBounded([...command, file, '--policies', policies, '--json'], { FTPSCTL_TEST_PW: 'x' });
      expect(json).toMatchObject({ hung: false, code: 3 });
      expect(JSON.parse(json.stdout).error).toMatchObject({
        code: 'FTPSCTL_ERR_INPUT_FILE',
        problems: [
          {
            setting: 'tls.pki.caFile',
            policy: 'hostile-ca',
            policyFile: path.join(policies, '10-ca.xml'),
            line: 2,
            column: 3,
            reason: 'not-regular',
          },
        ],
      });
    });
  }
});
