import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../helpers/run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftpsctl-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const examples = path.join(repoRoot, 'examples/profiles');
const BROKEN =
  '{\n  "name": "payroll",\n  "host": "ftp.example.com",\n  "tls": {\n    "fipMode": true,\n    "minVersion": "TLSv1.0"\n  }\n}\n';

describe('ftpsctl profile validate', () => {
  it('exits 0 and says so for valid profiles', async () => {
    const result = await runCli([
      'profile',
      'validate',
      path.join(examples, 'explicit.json'),
      path.join(examples, 'fips.json'),
    ]);
    expect(result).toEqual({
      code: 0,
      stdout: `${path.join(examples, 'explicit.json')}: valid\n${path.join(examples, 'fips.json')}: valid\n`,
      stderr: '',
    });
  });

  it('exits 3 and prints file:line:col pointer message for each problem', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, BROKEN);
    const result = await runCli(['profile', 'validate', file]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      `${file}:5:5 /tls/fipMode unknown key "fipMode" in tls; did you mean "fipsMode"?\n` +
        `${file}:6:19 /tls/minVersion tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"\n`,
    );
    expect(result.stderr).toBe('');
  });

  it('--json prints the results document and still exits 3', async () => {
    const file = path.join(dir, 'broken-json.json');
    await writeFile(file, BROKEN);
    const good = path.join(examples, 'nat.json');
    const result = await runCli(['profile', 'validate', good, file, path.join(dir, 'missing.json'), '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({
      results: [
        { file: good, valid: true, errors: [] },
        {
          file,
          valid: false,
          errors: [
            {
              pointer: '/tls/fipMode',
              line: 5,
              column: 5,
              message: 'unknown key "fipMode" in tls; did you mean "fipsMode"?',
            },
            {
              pointer: '/tls/minVersion',
              line: 6,
              column: 19,
              message: 'tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"',
            },
          ],
        },
        {
          file: path.join(dir, 'missing.json'),
          valid: false,
          errors: [
            {
              pointer: '',
              line: null,
              column: null,
              message: 'file not found; check the path (create one with `ftpsctl profile init`)',
            },
          ],
        },
      ],
    });
  });

  it('advises a key that exists for a JSON comment: "description" is accepted and shown', async () => {
    const commented = path.join(dir, 'commented.json');
    await writeFile(
      commented,
      '{\n  // payroll drop, owner: finance\n  "name": "payroll",\n  "host": "ftp.example.com"\n}\n',
    );
    const refused = await runCli(['profile', 'validate', commented]);
    expect(refused).toEqual({
      code: 3,
      stdout: `${commented}:2:3 invalid JSON: comments are not allowed in JSON; remove it, or put the note in the profile's top-level "description" string\n`,
      stderr: '',
    });
    // Following the advice gives a valid profile, and `profile show` shows the note.
    const described = path.join(dir, 'described.json');
    await writeFile(
      described,
      '{\n  "description": "payroll drop, owner: finance",\n  "name": "payroll",\n  "host": "ftp.example.com"\n}\n',
    );
    expect(await runCli(['profile', 'validate', described])).toEqual({
      code: 0,
      stdout: `${described}: valid\n`,
      stderr: '',
    });
    const shown = await runCli(['profile', 'show', described]);
    expect(shown.stdout).toMatch(/^ {2}description +"payroll drop, owner: finance" +\[profile\]$/m);
  });

  it('reports a caFile, certFile, keyFile or crlFiles entry that does not exist, at file:line:col with its pointer (exit 3)', async () => {
    const file = path.join(dir, 'missing-pki.json');
    await writeFile(
      file,
      '{\n  "name": "partner",\n  "host": "ftp.partner.example",\n  "tls": {"pki": {\n    "caFile": "pki/ca.pem",\n    "revocation": "crl",\n    "crlFiles": ["pki/ca.crl"],\n    "clientCertificate": {"certFile": "pki/c.pem", "keyFile": "pki/c.key"}\n  }}\n}\n',
    );
    const result = await runCli(['profile', 'validate', file]);
    const missing = (name: string): string =>
      `${name} (${path.join(dir, name)}) does not exist; check the path (a relative path is read from the folder of the file that names it)`;
    expect(result).toEqual({
      code: 3,
      stdout:
        `${file}:5:15 /tls/pki/caFile tls.pki.caFile: ${missing('pki/ca.pem')}\n` +
        `${file}:7:18 /tls/pki/crlFiles/0 tls.pki.crlFiles[0]: ${missing('pki/ca.crl')}\n` +
        `${file}:8:39 /tls/pki/clientCertificate/certFile tls.pki.clientCertificate.certFile: ${missing('pki/c.pem')}\n` +
        `${file}:8:63 /tls/pki/clientCertificate/keyFile tls.pki.clientCertificate.keyFile: ${missing('pki/c.key')}\n`,
      stderr: '',
    });
    const resolved = await runCli(['resolve', file, '--policies', path.join(repoRoot, 'policies')]);
    expect(resolved.code).toBe(3);
    expect(resolved.stderr).toContain(`${file}:5:15 /tls/pki/caFile tls.pki.caFile: ${missing('pki/ca.pem')}`);
  });

  it('exits 2 with a usage message when no file is given', async () => {
    const result = await runCli(['profile', 'validate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing argument FILE');
  });
});

describe('ftpsctl profile show', () => {
  it('shows every setting with its value and origin', async () => {
    const result = await runCli(['profile', 'show', path.join(examples, 'implicit.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}port +990 +\[default\]$/m);
    expect(result.stdout).toMatch(/^ {2}tls\.implicit +true +\[profile\]$/m);
    expect(result.stdout).toMatch(/^ {2}tls\.serverName +"ftps\.vendor\.example" +\[default\]$/m);
    expect(result.stdout).toMatch(/^ {2}tls\.pki\.caFile +\(not set\)$/m);
  });

  it('--json prints the profile with defaults applied', async () => {
    const result = await runCli(['profile', 'show', path.join(examples, 'nat.json'), '--json']);
    const shown = JSON.parse(result.stdout) as {
      profile: { port: number; network: unknown; tls: { minVersion: string } };
    };
    expect(result.code).toBe(0);
    expect(shown.profile.port).toBe(21);
    expect(shown.profile.network).toMatchObject({ nat: true, connectTimeoutMs: 5000, idleTimeoutMs: 30000 });
    expect(shown.profile.tls.minVersion).toBe('TLSv1.2');
  });

  it('exits 3 with every problem and no stack trace for an invalid profile', async () => {
    const file = path.join(dir, 'broken-show.json');
    await writeFile(file, BROKEN);
    const result = await runCli(['profile', 'show', file]);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `ftpsctl: invalid profile ${file} (2 problems):\n` +
        `  ${file}:5:5 /tls/fipMode unknown key "fipMode" in tls; did you mean "fipsMode"?\n` +
        `  ${file}:6:19 /tls/minVersion tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"\n`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--json reports the error with its code, exit code and problems', async () => {
    const result = await runCli(['profile', 'show', path.join(dir, 'nothing.json'), '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'FTPSCTL_ERR_PROFILE_UNREADABLE',
        exitCode: 3,
        file: path.join(dir, 'nothing.json'),
        message: `invalid profile ${path.join(dir, 'nothing.json')} (1 problem):\n  ${path.join(dir, 'nothing.json')} file not found; check the path (create one with \`ftpsctl profile init\`)`,
        problems: [
          {
            pointer: '',
            line: null,
            column: null,
            message: 'file not found; check the path (create one with `ftpsctl profile init`)',
          },
        ],
      },
    });
  });
});

describe('ftpsctl profile init', () => {
  it('writes a valid profile whose $schema points at the schema, and refuses to overwrite it', async () => {
    const file = path.join(dir, 'new.json');
    const created = await runCli([
      'profile',
      'init',
      file,
      '--name',
      'payroll',
      '--host',
      'ftp.example.com',
      '--user',
      'alice',
      '--fips',
      '--implicit',
    ]);
    expect(created).toEqual({ code: 0, stdout: `wrote ${file}\n`, stderr: '' });
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(written).toEqual({
      $schema: path.relative(dir, path.join(repoRoot, 'schemas/session-profile.schema.json')),
      name: 'payroll',
      host: 'ftp.example.com',
      user: 'alice',
      password: 'prompt',
      tls: { enabled: true, implicit: true, fipsMode: true },
    });
    expect(path.resolve(dir, written.$schema as string)).toBe(
      path.join(repoRoot, 'schemas/session-profile.schema.json'),
    );
    expect((await runCli(['profile', 'validate', file])).code).toBe(0);

    const again = await runCli(['profile', 'init', file, '--name', 'other', '--host', 'h.example']);
    expect(again).toEqual({
      code: 2,
      stdout: '',
      stderr: `ftpsctl: ${file} already exists; use --force to overwrite it\n`,
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ name: 'payroll' });

    const forced = await runCli(['profile', 'init', file, '--name', 'other', '--host', 'h.example', '--force']);
    expect(forced.code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ name: 'other', host: 'h.example' });
  });

  it('exits 3 and writes nothing when a flag is not a valid profile value', async () => {
    const file = path.join(dir, 'bad-init.json');
    const result = await runCli(['profile', 'init', file, '--name', 'pay roll', '--host', 'ftp://x']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`/host host must be a DNS name`);
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('ftpsctl itself', () => {
  it('--version prints name and version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ftpsctl\/0\.1\.0 /);
  });

  it('--help lists the topics and every command has --help', async () => {
    expect((await runCli(['--help'])).stdout).toContain('profile');
    for (const command of ['validate', 'show', 'init']) {
      const help = await runCli(['profile', command, '--help']);
      expect({ command, code: help.code, usage: help.stdout.includes(`$ ftpsctl profile ${command}`) }).toEqual({
        command,
        code: 0,
        usage: true,
      });
    }
  });

  it('suggests the closest command for a typo and exits 2', async () => {
    const result = await runCli(['profile', 'validat', 'x.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Did you mean "ftpsctl profile validate"?');
  });

  it('runs the demo on the examples', async () => {
    const result = await runCli(['demo']);
    expect(result.code).toBe(0);
    // The live session against the embedded loopback server: every step ok, an audit trail.
    for (const step of ['check', 'put', 'ls', 'get']) expect(result.stdout).toMatch(new RegExp(`^ok +${step} `, 'm'));
    expect(result.stdout).toMatch(
      /^ok +get +report\.bin -> report\.copy\.bin, verified by hash, SHA-256 [0-9a-f]{64}, identical: yes$/m,
    );
    expect(result.stdout).toMatch(/session reuse +data connections resume the TLS session/);
    expect(result.stdout.match(/ session\.start /g)).toHaveLength(4);
    expect(result.stdout).toMatch(/ transfer +download report\.bin 4194304 bytes, verified by hash/);
    expect(result.stdout).toContain('the server is stopped');
    expect(result.stdout).toContain('8 of 8 profiles valid.');
    expect(result.stdout).toMatch(/appliance-pinned +10\.20\.30\.40:21 +explicit .* pin only/);
    // The audit table of the examples against policies/: one refusal, one raised version.
    expect(result.stdout).toMatch(
      /vendor-drop +examples\/profiles\/vendor-drop\.json +refuse .*1: host drop\.vendor\.example\.net is denied by policy user-defaults \(policies\/90-user-defaults\.xml:9\)/,
    );
    expect(result.stdout).toMatch(
      /finance-proxy +examples\/profiles\/proxy\.json +allow +tls\.minVersion raised; 8 applied +0/,
    );
    expect(result.stdout).toContain('8 profiles: 7 allowed, 1 refused, 0 invalid; 8 changed by policy');
  });
});
