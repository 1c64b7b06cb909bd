/**
 * The packed tarball is the product: `npm pack`, install it into an empty folder (and with
 * `npm install -g` into a prefix), then run every command from the installed copy, as an
 * admin would after deploying it. Catches the next file that the repository has and the
 * tarball does not. `npm test` builds first; the tarball is packed from that build.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/run-cli';

jest.setTimeout(240_000);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(
  file: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number },
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, NO_COLOR: '1', ...options.env },
        timeout: options.timeout ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const npm = (args: string[], cwd: string): Promise<Run> =>
  run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, timeout: 180_000 });

let work: string;
let tarball: string;
let app: string;
let installed: string;
let bin: string;
let globalBin: string;
let tarFiles: string[];
/** No policy source applies to the installed copy's sessions but the ones a test names. */
const env: NodeJS.ProcessEnv = { FTPSCTL_POLICY_DIR: '' };

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ftpsctl-pack-'));
  const packed = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repoRoot);
  expect(packed).toMatchObject({ code: 0 });
  const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }];
  tarball = path.join(work, info.filename);
  tarFiles = info.files.map((f) => f.path);
  app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'ftpsctl-install-probe', version: '1.0.0', private: true }),
  );
  const local = await npm(['install', '--prefer-offline', tarball], app);
  expect(local).toMatchObject({ code: 0 });
  installed = path.join(app, 'node_modules', 'ftpsctl');
  bin = path.join(app, 'node_modules', '.bin', 'ftpsctl');
  const prefix = path.join(work, 'global');
  const global = await npm(['install', '-g', '--prefer-offline', '--prefix', prefix, tarball], app);
  expect(global).toMatchObject({ code: 0 });
  globalBin = path.join(prefix, 'bin', 'ftpsctl');
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

const ftpsctl = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> =>
  run(bin, args, { cwd: app, env: { ...env, ...extraEnv } });
const example = (name: string): string => path.join(installed, 'examples', 'profiles', name);
const shippedPolicies = (): string => path.join(installed, 'policies');

describe('the tarball', () => {
  it('holds the runtime files and no test-only code', () => {
    for (const file of [
      'bin/run.js',
      'package.json',
      'oclif.manifest.json',
      'schemas/session-profile.schema.json',
      'schemas/policy.schema.json',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/loopback/server/index.js',
      'dist/src/loopback/pki/index.js',
    ]) {
      expect(tarFiles).toContain(file);
    }
    expect(
      tarFiles.filter((file) => /hostile|real-servers|proxies\/|\.test\.|^packages\/|^test\/|^src\//.test(file)),
    ).toEqual([]);
    const manifest = JSON.parse(readFileSync(path.join(installed, 'package.json'), 'utf8')) as { types: string };
    expect(tarFiles).toContain(manifest.types.replace(/^\.\//, ''));
  });
});

describe('the installed commands', () => {
  it('--version, -v, --help, -h and shell completion', async () => {
    const version = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version as string;
    for (const flag of ['--version', '-v']) expect((await ftpsctl([flag])).stdout).toContain(`ftpsctl/${version}`);
    for (const flag of ['--help', '-h']) {
      const help = await ftpsctl([flag]);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/autocomplete/);
    }
    const completion = await ftpsctl(['autocomplete', 'bash'], { HOME: path.join(work, 'home') });
    expect(completion.code).toBe(0);
    expect(completion.stdout).toContain('ftpsctl');
  });

  it('profile validate, show and init', async () => {
    expect(await ftpsctl(['profile', 'validate', example('fips.json')])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('valid'),
    });
    expect(await ftpsctl(['profile', 'show', example('explicit.json')])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('payroll'),
    });
    const created = path.join(app, 'new.json');
    expect(await ftpsctl(['profile', 'init', created, '--name', 'new', '--host', 'ftp.example.com'])).toMatchObject({
      code: 0,
    });
    expect(await ftpsctl(['profile', 'validate', created])).toMatchObject({ code: 0 });
    const broken = path.join(app, 'broken.json');
    writeFileSync(broken, '{"name": "x", "host": "h", "tls": {"minVersion": "TLSv1.0"}}');
    const invalid = await ftpsctl(['profile', 'validate', broken]);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr + invalid.stdout).toMatch(/broken\.json:1:\d+ \/tls\/minVersion/);
  });

  it('policy validate, resolve (flags before the profile too) and audit in every format', async () => {
    expect(await ftpsctl(['policy', 'validate', shippedPolicies()])).toMatchObject({ code: 0 });
    const resolved = await ftpsctl(['resolve', '--policies', shippedPolicies(), example('fips.json')]);
    expect(resolved).toMatchObject({ code: 0, stdout: expect.stringContaining('decision: allow') });
    const refused = await ftpsctl(['resolve', example('vendor-drop.json'), '--policies', shippedPolicies(), '--json']);
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stdout)).toMatchObject({ decision: 'refuse' });
    for (const format of ['table', 'json', 'csv', 'html']) {
      const audit = await ftpsctl([
        'audit',
        '--profiles',
        path.join(installed, 'examples', 'profiles'),
        '--policies',
        shippedPolicies(),
        '--format',
        format,
      ]);
      expect(audit.code).toBe(0);
      expect(audit.stdout).toContain('vendor-drop');
    }
  });

  it('usage errors are one JSON object under --json, exit 2', async () => {
    const usage = await ftpsctl(['resolve', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({
      error: expect.objectContaining({ code: 'FTPSCTL_ERR_USAGE', message: expect.stringContaining('PROFILE') }),
    });
    expect(usage.stdout).not.toMatch(/node_modules|"oclif"|\/root/);
  });

  it('the demo', async () => {
    const demo = await ftpsctl(['demo']);
    expect(demo.code).toBe(0);
    expect(demo.stdout).toMatch(/ok +get +report\.bin -> report\.copy\.bin, verified by hash/);
    expect(demo.stdout).toContain('8 profiles: 7 allowed, 1 refused');
  });
});

describe('installed session commands against the installed loopback server (demo serve)', () => {
  let server: ChildProcess;
  let profile: string;
  const log = (): string => path.join(app, 'audit.jsonl');

  beforeAll(async () => {
    const dir = path.join(work, 'loopback');
    server = spawn(bin, ['demo', 'serve', '--dir', dir, '--for', '200'], {
      cwd: app,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    profile = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /^Profile: (.+)$/m.exec(out);
        if (match?.[1]) resolve(match[1].trim());
      });
      server.on('exit', (code) => reject(new Error(`demo serve exited with ${code}: ${out}`)));
    });
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('check, put, ls, get, mkdir, mv, mirror, rm, then audit sessions over their log', async () => {
    const session = (args: string[]): Promise<Run> => ftpsctl(['session', ...args, '--audit-log', log()]);
    expect(await session(['check', profile])).toMatchObject({ code: 0, stdout: expect.stringContaining('TLSv1.3') });
    writeFileSync(path.join(app, 'payload.txt'), 'installed copy\n'.repeat(1000));
    expect(await session(['put', profile, 'payload.txt', 'up.txt'])).toMatchObject({ code: 0 });
    const listing = await session(['ls', profile, '--json']);
    expect(JSON.parse(listing.stdout).entries).toEqual([expect.objectContaining({ name: 'up.txt' })]);
    const got = await session(['get', profile, 'up.txt', 'down.txt']);
    expect(got).toMatchObject({ code: 0, stdout: expect.stringContaining('verified by hash') });
    expect(readFileSync(path.join(app, 'down.txt'), 'utf8')).toBe('installed copy\n'.repeat(1000));
    expect(await session(['mkdir', profile, 'archive'])).toMatchObject({ code: 0 });
    expect(await session(['mv', profile, 'up.txt', 'archive/up.txt'])).toMatchObject({ code: 0 });
    expect(await session(['mirror', profile, 'archive', path.join(app, 'mirror')])).toMatchObject({ code: 0 });
    expect(readFileSync(path.join(app, 'mirror', 'up.txt'), 'utf8')).toBe('installed copy\n'.repeat(1000));
    expect(await session(['rm', profile, 'archive/up.txt'])).toMatchObject({ code: 0 });
    const summary = await ftpsctl(['audit', 'sessions', log()]);
    expect(summary).toMatchObject({ code: 0, stdout: expect.stringContaining('demo-loopback') });
  });

  it('the library connects from another working folder: the managed front door, relative paths from the profile, its own audit events', async () => {
    writeFileSync(path.join(app, 'library-payload.txt'), 'from the library\n');
    const script = `const { connect } = require('ftpsctl');
      const { readFileSync } = require('node:fs');
      (async () => {
        const session = await connect(${JSON.stringify(profile)}, { auditLogFiles: [${JSON.stringify(log())}] });
        try {
          await session.upload('library-payload.txt', 'library.txt');
          console.log(JSON.stringify({ tls: session.tlsInfo().version, names: (await session.list()).map((e) => e.name) }));
        } finally { await session.close(); }
        const actions = readFileSync(${JSON.stringify(log())}, 'utf8').trim().split('\\n').map((l) => JSON.parse(l).event.action);
        console.error(JSON.stringify(actions));
      })().catch((e) => { console.error(e.code, e.message); process.exit(9); });`;
    const result = await run(process.execPath, ['-e', script], { cwd: app });
    expect(result).toMatchObject({ code: 0 });
    expect(JSON.parse(result.stdout)).toMatchObject({ tls: 'TLSv1.3', names: expect.arrayContaining(['library.txt']) });
    const actions = JSON.parse(result.stderr.trim().split('\n').pop() ?? '[]') as string[];
    expect(actions.slice(-4)).toEqual(['session.start', 'tls.established', 'transfer', 'session.end']);
  });

  it('the same from the global install (npm install -g)', async () => {
    const check = await run(globalBin, ['session', 'check', profile, '--json'], { cwd: app, env });
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ profile: 'demo-loopback', tls: { version: 'TLSv1.3' } });
  });
});

describe('the installed library', () => {
  it('require("ftpsctl") and import from "ftpsctl" give loadProfile, resolveProfile and connect', async () => {
    const script = `const f = require('ftpsctl'); const e = require('ftpsctl/engine');
      console.log(JSON.stringify([typeof f.loadProfile, typeof f.resolveProfile, typeof f.connect, typeof e.openSession]));`;
    const cjs = await run(process.execPath, ['-e', script], { cwd: app });
    expect(cjs).toMatchObject({ code: 0 });
    expect(JSON.parse(cjs.stdout)).toEqual(['function', 'function', 'function', 'function']);
    const esm = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { loadProfile, resolveProfile, connect } from 'ftpsctl'; console.log([typeof loadProfile, typeof resolveProfile, typeof connect].join())`,
      ],
      { cwd: app },
    );
    expect(esm).toMatchObject({ code: 0, stdout: 'function,function,function\n' });
  });

  it('a loaded profile resolves through the library exactly as through the CLI', async () => {
    const script = `const { loadProfile, resolveProfile, loadPolicySet } = require('ftpsctl');
      (async () => { const loaded = await loadProfile(${JSON.stringify(example('vendor-drop.json'))});
        const resolution = resolveProfile(loaded, await loadPolicySet([${JSON.stringify(shippedPolicies())}]));
        console.log(resolution.decision); })().catch((e) => { console.error(e.code, e.message); process.exit(9); });`;
    expect(await run(process.execPath, ['-e', script], { cwd: app })).toMatchObject({ code: 0, stdout: 'refuse\n' });
  });

  it('its types compile from the installed package (node16 resolution, through the exports map)', async () => {
    const file = path.join(app, 'uses-types.ts');
    writeFileSync(
      file,
      `import { loadProfile, resolveProfile, connect, type Resolution, type FtpsSession, type ManagedSession, type ConnectOptions } from 'ftpsctl';\nimport { openSession } from 'ftpsctl/engine';\nexport const open = (file: string, options: ConnectOptions): Promise<ManagedSession> => connect(file, options);\nexport type Uses = [typeof loadProfile, typeof resolveProfile, Resolution, FtpsSession, typeof openSession];\n`,
    );
    const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'node16',
        '--moduleResolution',
        'node16',
        '--types',
        'node',
        '--typeRoots',
        path.join(repoRoot, 'node_modules', '@types'),
        '--skipLibCheck',
        file,
      ],
      { cwd: app },
    );
    expect(compiled).toMatchObject({ code: 0, stdout: '' });
    // Older set-ups (moduleResolution node, which ignores exports) find the subpath's types too (typesVersions).
    const legacy = await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'commonjs',
        '--moduleResolution',
        'node',
        '--types',
        'node',
        '--typeRoots',
        path.join(repoRoot, 'node_modules', '@types'),
        '--skipLibCheck',
        '--esModuleInterop',
        file,
      ],
      { cwd: app },
    );
    expect(legacy).toMatchObject({ code: 0, stdout: '' });
  });
});
