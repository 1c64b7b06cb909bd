/**
 * Review (names between servers, file systems and the terminal): server names shown on a
 * terminal.
 *
 * - printableText/printableLines escape C0, DEL, C1 and lone surrogates, but not the Unicode
 *   bidirectional controls (U+202A..U+202E, U+2066..U+2069, U+200E/U+200F, U+061C). A server
 *   that lists `\u202Etxt.exe` makes `session ls` show `exe.txt` (Trojan Source, CVE-2021-42574),
 *   and the same goes for every message that quotes a name (mirror refusals).
 * - `session ls` quotes a name that starts or ends with a space with JSON.stringify, which
 *   leaves C1 controls (U+009B is CSI) and the bidi controls raw: ` \u009b2J` reaches the
 *   terminal as a CSI sequence, where the same name without the space is escaped.
 * - The mirror's progress bars label each file with its remote path, as the server named it,
 *   without printableText: unsafeNameReason refuses C0 controls in a name, not C1 or bidi.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { progressLine } from '../../src/cli/progress-display';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { printableLines, printableText } from '../../src/text/printable-text';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

/** Characters that reorder or hide what follows them on a terminal or in an editor. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const C1 = /[\u0080-\u009f]/u;

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-names-terminal-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (name: string): string => `-rw-r--r--    1 ftp      ftp          5 Jan 01 00:00 ${name}\r\n`;

describe('bidirectional controls in names are shown escaped', () => {
  it('printableText and printableLines escape U+202E (RIGHT-TO-LEFT OVERRIDE) and the isolates', () => {
    for (const name of ['invoice\u202Efdp.exe', 'a\u2066b\u2069c', 'x\u200fy', 'p\u061cq']) {
      expect(printableText(name)).not.toMatch(BIDI_CONTROLS);
      expect(printableLines(`refused ${name}`)).not.toMatch(BIDI_CONTROLS);
    }
  });

  it('session ls of a server that lists "\\u202Etxt.exe" does not print it as "exe.txt"', async () => {
    await withHostileProfile(
      { dir, pki, name: 'bidi-ls', passwordEnv: 'PW' },
      { payloads: { listing: Buffer.from(line('report\u202Etxt.exe') + line('plain.txt')) } },
      async (profile) => {
        const run = await runBounded(['session', 'ls', profile], { cwd: dir, env: { PW: 'pw-bidi-1' } });
        expect(run.code).toBe(0);
        expect(run.stdout).toContain('plain.txt');
        expect(run.stdout).toContain('report');
        expect(run.stdout).not.toMatch(BIDI_CONTROLS);
      },
    );
  });

  it('session mirror: a refusal quoting a name with U+202E shows it escaped', async () => {
    await withHostileProfile(
      { dir, pki, name: 'bidi-mirror', passwordEnv: 'PW' },
      { payloads: { listing: Buffer.from(line('a/\u202Etxt.exe')) } },
      async (profile) => {
        const run = await runBounded(['session', 'mirror', profile, 'in', path.join(dir, 'bidi-out')], {
          cwd: dir,
          env: { PW: 'pw-bidi-2' },
        });
        expect(run.stdout).toContain('refused 1');
        expect(run.stderr).toContain('refused server name');
        expect(run.stderr).not.toMatch(BIDI_CONTROLS);
      },
    );
  });
});

describe('session ls: a name with a leading or trailing space', () => {
  it('is quoted with its C1 controls escaped (` \\u009b2J` is CSI 2 J: clear screen)', async () => {
    await withHostileProfile(
      { dir, pki, name: 'c1-space', passwordEnv: 'PW' },
      { payloads: { listing: Buffer.from(line(' lead\u009b2J.txt') + line('no-space\u009b2J.txt')) } },
      async (profile) => {
        const run = await runBounded(['session', 'ls', profile], { cwd: dir, env: { PW: 'pw-c1-space-1' } });
        expect(run.code).toBe(0);
        // Without the space, the name is escaped (printableText): the quoted one must be too.
        expect(run.stdout).toContain('no-space\\u{9b}2J.txt');
        expect(run.stdout).toContain('lead');
        expect(run.stdout).not.toMatch(C1);
      },
    );
  });
});

describe('mirror progress bars', () => {
  it('label a file whose server name holds CSI (U+009B) or U+202E with them escaped', () => {
    // item.remote of a download mirror is the server's name: ProgressDisplay.track(item.remote, size).
    const shown = progressLine({ label: 'in/\u009b2J\u202Etxt.exe', total: 10, bytes: 5, started: 0 }, 2000);
    expect(shown).toContain('in/');
    expect(shown).not.toMatch(C1);
    expect(shown).not.toMatch(BIDI_CONTROLS);
  });
});
