import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadPolicySet, MAX_POLICY_BYTES } from './load-policy-set';
import { formatPolicyProblem, type PolicyFailure } from './policy';

/** A small valid policy named `name`, one line per row (the name attribute is at line 2, column 38). */
function policyText(name: string, ...body: string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<policy xmlns="urn:ftpsctl:policy:1" name="${name}" scope="machine" priority="100">`,
    ...(body.length > 0 ? body : ['  <setting path="tls.enabled" enforce="mandatory">true</setting>']),
    '</policy>',
    '',
  ].join('\n');
}

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'ftpsctl-policies-'));
});

afterEach(async () => {
  await chmod(root, 0o700);
  await rm(root, { recursive: true, force: true });
});

/** A policy folder with these files, each 0644 in a 0755 folder unless the test changes it. */
async function policyFolder(files: Record<string, string | Buffer>, folderName = 'policies'): Promise<string> {
  const dir = path.join(root, folderName);
  await mkdir(dir);
  await chmod(dir, 0o755);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), content);
    await chmod(path.join(dir, name), 0o644);
  }
  return dir;
}

/** The failure of a file that was not parsed at all (permissions, size, missing). */
function fileFailure(file: string, message: string): PolicyFailure {
  return { file, problems: [{ file, line: null, column: null, message }] };
}

describe('loadPolicySet: folders', () => {
  it('reads the *.xml files of a folder in name order', async () => {
    const dir = await policyFolder({
      '20-fips.xml': policyText('fips'),
      '10-corp-baseline.xml': policyText('corp-baseline'),
      '90-user-defaults.xml': policyText('user-defaults'),
      '3-legacy.xml': policyText('legacy'),
    });
    const set = await loadPolicySet([dir]);
    expect(set.failures).toEqual([]);
    expect(set.policies.map((policy) => [path.basename(policy.file), policy.name])).toEqual([
      ['10-corp-baseline.xml', 'corp-baseline'],
      ['20-fips.xml', 'fips'],
      ['3-legacy.xml', 'legacy'],
      ['90-user-defaults.xml', 'user-defaults'],
    ]);
    expect(set.policies[0].file).toBe(path.join(dir, '10-corp-baseline.xml'));
    expect(set).toMatchObject({ sources: [dir], ignored: [], warnings: [] });
  });

  it('reads folders and files in the order given', async () => {
    const machine = await policyFolder(
      { 'b.xml': policyText('machine-b'), 'a.xml': policyText('machine-a') },
      'machine',
    );
    const user = await policyFolder({ 'user.xml': policyText('user') }, 'user');
    const single = path.join(user, 'user.xml');
    const set = await loadPolicySet([single, machine]);
    expect(set.policies.map((policy) => policy.name)).toEqual(['user', 'machine-a', 'machine-b']);
    expect(set.sources).toEqual([single, machine]);
  });

  it('reports other files in `ignored` and `warnings` and does not read them', async () => {
    const dir = await policyFolder({
      '10-corp-baseline.xml': policyText('corp-baseline'),
      'README.txt': '<policy>this is not XML at all',
      '20-fips.xml.bak': '<<< not a policy >>>',
    });
    await chmod(path.join(dir, 'README.txt'), 0o666); // read, it would be a failure
    await mkdir(path.join(dir, 'archive'));
    const set = await loadPolicySet([dir]);
    expect(set.failures).toEqual([]);
    expect(set.policies.map((policy) => policy.name)).toEqual(['corp-baseline']);
    expect(set.ignored).toEqual([
      path.join(dir, '20-fips.xml.bak'),
      path.join(dir, 'README.txt'),
      path.join(dir, 'archive'),
    ]);
    expect(set.warnings).toEqual([
      `${path.join(dir, '20-fips.xml.bak')} is not a policy file (*.xml); not read`,
      `${path.join(dir, 'README.txt')} is not a policy file (*.xml); not read`,
      `${path.join(dir, 'archive')} is not a policy file (*.xml); not read`,
    ]);
  });

  it('gives an empty set for an empty folder', async () => {
    const dir = await policyFolder({});
    expect(await loadPolicySet([dir])).toEqual({
      sources: [dir],
      policies: [],
      failures: [],
      ignored: [],
      warnings: [],
    });
  });

  it('fails closed on a folder that does not exist', async () => {
    const missing = path.join(root, 'no-such-folder');
    const set = await loadPolicySet([missing]);
    expect(set.failures).toEqual([
      fileFailure(missing, 'not found; check the path given to --policies (or FTPSCTL_POLICY_DIR)'),
    ]);
    expect(set.policies).toEqual([]);
  });

  it('fails closed on a policy file given by a path that does not exist', async () => {
    const missing = path.join(root, '10-corp-baseline.xml');
    expect((await loadPolicySet([missing])).failures).toEqual([
      fileFailure(missing, 'not found; check the path given to --policies (or FTPSCTL_POLICY_DIR)'),
    ]);
  });
});

describe('loadPolicySet: permissions', () => {
  it('rejects a world-writable policy file, naming it and the chmod that fixes it', async () => {
    const dir = await policyFolder({
      '10-corp-baseline.xml': policyText('corp-baseline'),
      '20-fips.xml': policyText('fips'),
    });
    const writable = path.join(dir, '10-corp-baseline.xml');
    await chmod(writable, 0o666);
    const set = await loadPolicySet([dir]);
    expect(set.failures).toEqual([
      fileFailure(
        writable,
        `is writable by every user, so it cannot be trusted as an admin policy; run: chmod o-w ${writable}`,
      ),
    ]);
    expect(formatPolicyProblem(set.failures[0].problems[0])).toBe(
      `${writable} is writable by every user, so it cannot be trusted as an admin policy; run: chmod o-w ${writable}`,
    );
    expect(set.policies.map((policy) => policy.name)).toEqual(['fips']);
  });

  it('rejects a world-writable policy file given directly', async () => {
    const dir = await policyFolder({ 'fips.xml': policyText('fips') });
    const writable = path.join(dir, 'fips.xml');
    await chmod(writable, 0o666);
    const set = await loadPolicySet([writable]);
    expect(set.failures).toEqual([
      fileFailure(
        writable,
        `is writable by every user, so it cannot be trusted as an admin policy; run: chmod o-w ${writable}`,
      ),
    ]);
    expect(set.policies).toEqual([]);
  });

  it('accepts a policy file writable by its group (only "other" write is rejected)', async () => {
    const dir = await policyFolder({ 'fips.xml': policyText('fips') });
    await chmod(path.join(dir, 'fips.xml'), 0o664);
    await chmod(dir, 0o775);
    const set = await loadPolicySet([dir]);
    expect(set.failures).toEqual([]);
    expect(set.policies.map((policy) => policy.name)).toEqual(['fips']);
  });

  it('rejects every policy file of a world-writable folder, naming the folder and the chmod that fixes it', async () => {
    const dir = await policyFolder({
      '10-corp-baseline.xml': policyText('corp-baseline'),
      '20-fips.xml': policyText('fips'),
      'notes.txt': 'x',
    });
    await chmod(dir, 0o777);
    const set = await loadPolicySet([dir]);
    const baseline = path.join(dir, '10-corp-baseline.xml');
    const fips = path.join(dir, '20-fips.xml');
    expect(set.failures).toEqual([
      fileFailure(
        baseline,
        `is in ${dir}, which is writable by every user, so its policies cannot be trusted; run: chmod o-w ${dir}`,
      ),
      fileFailure(
        fips,
        `is in ${dir}, which is writable by every user, so its policies cannot be trusted; run: chmod o-w ${dir}`,
      ),
    ]);
    expect(formatPolicyProblem(set.failures[1].problems[0])).toBe(
      `${fips} is in ${dir}, which is writable by every user, so its policies cannot be trusted; run: chmod o-w ${dir}`,
    );
    expect(set.policies).toEqual([]);
    expect(set.ignored).toEqual([path.join(dir, 'notes.txt')]);
  });
});

describe('loadPolicySet: size', () => {
  it('rejects a file over 1 MiB without parsing it', async () => {
    const dir = await policyFolder({ 'huge.xml': Buffer.alloc(MAX_POLICY_BYTES + 1, 0x20) });
    const huge = path.join(dir, 'huge.xml');
    expect((await loadPolicySet([dir])).failures).toEqual([
      fileFailure(huge, 'is 1048577 bytes; a policy file is at most 1 MiB'),
    ]);
  });

  it('reads a file of exactly 1 MiB', async () => {
    const head = policyText('padded');
    const padding = `<!--${' '.repeat(MAX_POLICY_BYTES - Buffer.byteLength(head) - '<!---->\n'.length)}-->\n`;
    const dir = await policyFolder({ 'padded.xml': head + padding });
    expect((await readFile(path.join(dir, 'padded.xml'))).length).toBe(1048576);
    const set = await loadPolicySet([dir]);
    expect(set.failures).toEqual([]);
    expect(set.policies.map((policy) => policy.name)).toEqual(['padded']);
  });
});

describe('loadPolicySet: duplicate policy names', () => {
  it('turns both files into failures, each naming the other file', async () => {
    const dir = await policyFolder({
      '10-corp-baseline.xml': policyText('corp-baseline'),
      '15-corp-baseline-copy.xml': policyText(
        'corp-baseline',
        '  <setting path="tls.minVersion" enforce="floor">TLSv1.3</setting>',
      ),
      '20-fips.xml': policyText('fips'),
    });
    const first = path.join(dir, '10-corp-baseline.xml');
    const copy = path.join(dir, '15-corp-baseline-copy.xml');
    const set = await loadPolicySet([dir]);
    expect(set.policies.map((policy) => policy.name)).toEqual(['fips']);
    expect(set.failures.map(({ file, name, appliesTo, problems }) => ({ file, name, appliesTo, problems }))).toEqual([
      {
        file: first,
        name: 'corp-baseline',
        appliesTo: { profiles: [], hosts: [] },
        problems: [
          {
            file: first,
            line: 2,
            column: 38,
            message: `policy name "corp-baseline" is also used by ${copy}; policy names must be unique`,
          },
        ],
      },
      {
        file: copy,
        name: 'corp-baseline',
        appliesTo: { profiles: [], hosts: [] },
        problems: [
          {
            file: copy,
            line: 2,
            column: 38,
            message: `policy name "corp-baseline" is also used by ${first}; policy names must be unique`,
          },
        ],
      },
    ]);
  });

  it('finds the same name across two folders and lists every other file', async () => {
    const machine = await policyFolder({ 'a.xml': policyText('shared'), 'b.xml': policyText('shared') }, 'machine');
    const user = await policyFolder({ 'c.xml': policyText('shared') }, 'user');
    const [a, b, c] = [path.join(machine, 'a.xml'), path.join(machine, 'b.xml'), path.join(user, 'c.xml')];
    const set = await loadPolicySet([machine, user]);
    expect(set.policies).toEqual([]);
    expect(set.failures.map((failure) => failure.problems[0].message)).toEqual([
      `policy name "shared" is also used by ${b}, ${c}; policy names must be unique`,
      `policy name "shared" is also used by ${a}, ${c}; policy names must be unique`,
      `policy name "shared" is also used by ${a}, ${b}; policy names must be unique`,
    ]);
  });
});

describe('loadPolicySet: broken files', () => {
  it('keeps the name and appliesTo of a file that got that far, with every problem at its place', async () => {
    const text = policyText(
      'finance',
      '  <appliesTo>',
      '    <profile>finance-*</profile>',
      '    <host>*.bank.example</host>',
      '  </appliesTo>',
      '  <setting path="tls.minVersion" enforce="floor">TLSv1.0</setting>',
    );
    const dir = await policyFolder({ '30-finance.xml': text });
    const file = path.join(dir, '30-finance.xml');
    const set = await loadPolicySet([dir]);
    expect(set.policies).toEqual([]);
    expect(set.failures).toEqual([
      {
        file,
        name: 'finance',
        appliesTo: { profiles: ['finance-*'], hosts: ['*.bank.example'] },
        sha256: createHash('sha256').update(text).digest('hex'),
        problems: [
          { file, line: 7, column: 12, message: 'tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"' },
        ],
      },
    ]);
    expect(formatPolicyProblem(set.failures[0].problems[0])).toBe(
      `${file}:7:12 tls.minVersion must be one of TLSv1.2, TLSv1.3; got "TLSv1.0"`,
    );
  });

  it('has no name or appliesTo for a file that is not well-formed (the failure covers every session)', async () => {
    const text =
      '<?xml version="1.0"?>\n<policy xmlns="urn:ftpsctl:policy:1" name="finance" scope="machine" priority="300">\n  <appliesTo><host>*.bank.example</host></appliesTo>\n';
    const dir = await policyFolder({ '30-finance.xml': text });
    const file = path.join(dir, '30-finance.xml');
    const [failure] = (await loadPolicySet([dir])).failures;
    expect(failure).toEqual({
      file,
      sha256: createHash('sha256').update(text).digest('hex'),
      problems: [{ file, line: 2, column: 1, message: "not well-formed XML: Unclosed tag 'policy'." }],
    });
  });

  it('keeps going after a broken file', async () => {
    const dir = await policyFolder({ '10-broken.xml': '', '20-fips.xml': policyText('fips') });
    const set = await loadPolicySet([dir]);
    expect(set.failures.map((failure) => path.basename(failure.file))).toEqual(['10-broken.xml']);
    expect(set.policies.map((policy) => policy.name)).toEqual(['fips']);
  });
});

describe('loadPolicySet: sha256', () => {
  it('is the SHA-256 of the file bytes, byte order mark and CRLF included', async () => {
    const text =
      '\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r\n' +
      '<policy xmlns="urn:ftpsctl:policy:1" name="corp-baseline" scope="machine" priority="100">\r\n' +
      '  <setting path="tls.enabled" enforce="mandatory">true</setting>\r\n' +
      '</policy>\r\n';
    const dir = await policyFolder({ '10-corp-baseline.xml': Buffer.from(text, 'utf8') });
    const bytes = await readFile(path.join(dir, '10-corp-baseline.xml'));
    const [policy] = (await loadPolicySet([dir])).policies;
    expect(policy.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(policy.sha256).toBe('8dd23b106ed6f69739a93b7cf4a1a480723a71cef6801e08c9f74e796e436cc6');
  });

  it('differs when one byte of the file differs', async () => {
    const dir = await policyFolder({ 'a.xml': policyText('a'), 'b.xml': policyText('b') });
    const [a, b] = (await loadPolicySet([dir])).policies;
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(a.sha256).not.toBe(b.sha256);
  });
});
