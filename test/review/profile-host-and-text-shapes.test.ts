/**
 * Review (profiles as users write them): values that pass the schema but are not what they say.
 *
 * Found:
 * - The hostName pattern's IPv6 branch (`[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*`) takes any run of hex
 *   digits, dots and colons with one colon, so `10.0.0.5:21`, `beef:21` (a host with a port,
 *   the mistake the x-hint warns about), `:` and `:::::` are valid profiles. `resolve` and
 *   every session command then refuse them as a policy violation (exit 4, "refused by policy")
 *   even when no policy applies, instead of `profile validate` refusing the input (exit 3).
 * - A lone surrogate (`"\ud800"`) in `user` passes the schema and is sent in USER as U+FFFD
 *   bytes, so the login fails as "530 Login incorrect" instead of a profile problem.
 * - A UTF-16LE profile without a BOM is reported as "expected a key in double quotes, found
 *   character "\u0000"" with no hint that the file is UTF-16 (one with a BOM is recognised).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkProfileFile } from '../../src/profile/load-profile';
import { validateProfileText } from '../../src/profile/validate-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-shapes-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hosts that are not a host name or an IP address', () => {
  it.each(['10.0.0.5:21', 'beef:21', ':', ':::::', '1.2.3.4:990'])('host %j is a problem at /host', (host) => {
    const result = validateProfileText(JSON.stringify({ name: 'h', host }));
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.pointer)).toContain('/host');
  });

  it('control: IPv6 addresses stay valid', () => {
    for (const host of ['::1', '2001:db8::1', '::ffff:10.0.0.5'])
      expect(validateProfileText(JSON.stringify({ name: 'h', host })).valid).toBe(true);
  });

  it('resolve of host "10.0.0.5:21" with no policy is invalid input (exit 3), not "refused by policy" (exit 4)', async () => {
    const file = path.join(dir, 'with-port.json');
    writeFileSync(file, JSON.stringify({ name: 'with-port', host: '10.0.0.5:21' }));
    const run = await runBounded(['resolve', file], { cwd: dir });
    expect(run.code).toBe(3);
    expect(`${run.stdout}${run.stderr}`).toContain('/host');
  });
});

describe('text that JSON allows but the wire cannot carry', () => {
  it('a lone surrogate in user is a problem at /user', () => {
    const result = validateProfileText('{"name": "s", "host": "ftp.example.com", "user": "al\\ud800ice"}');
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.pointer)).toContain('/user');
  });

  it('a UTF-16LE profile without a BOM is said to be UTF-16', async () => {
    const file = path.join(dir, 'utf16le.json');
    writeFileSync(file, Buffer.from('{"name": "u", "host": "ftp.example.com"}', 'utf16le'));
    const result = await checkProfileFile(file);
    expect(result.valid).toBe(false);
    expect(result.problems.map((p) => p.message).join('\n')).toMatch(/UTF-16/);
  });
});
