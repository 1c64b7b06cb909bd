/**
 * Review s5 (names typed back): remote path arguments now read `\u{...}` escapes
 * (src/cli/remote-path-arg.ts). A name that really holds the six characters `\u{41}` is a
 * legal name on every server; the escape reading turns it into `A`, another file.
 *
 * Found:
 * - `session ls --json` gives names as they are (a script's way to pick files); the same name
 *   given back to `session rm` is read as an escape: `rm 'x\u{41}'` deletes `xA`, exit 0,
 *   and `x\u{41}` is still there. The README says arguments read escapes "as session ls shows
 *   them" but --json shows names raw, so the scripted round trip removes another file.
 * - `session ls` (table) shows a name that starts or ends with a space as JSON
 *   (JSON.stringify, ls.ts shownName), not through printableText: `\u{` in it is not escaped
 *   as `\u{5c}u{`, so ` x\u{41}` is shown `" x\\u{41}"`, and what it spells typed back
 *   (` x\u{41}`) reads as ` xA`. The fuzz in remote-path-arg.test.ts covers printableText
 *   only, not what ls shows for such names.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLibraryWorkspace, type LibraryWorkspace } from '../helpers/library-workspace';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let workspace: LibraryWorkspace;
beforeAll(async () => {
  workspace = await startLibraryWorkspace('review-s5-names-77c1');
});
afterAll(() => workspace?.stop());

describe('a name holding a literal \\u{41}', () => {
  it('given back to session rm as session ls --json lists it, removes that file, not xA', async () => {
    const literal = 'x\\u{41}.txt'; // the characters x \ u { 4 1 } . t x t
    writeFileSync(path.join(workspace.root, literal), 'the file the script meant');
    writeFileSync(path.join(workspace.root, 'xA.txt'), 'another file');
    const profile = workspace.profileFolder('backslash-json');
    const ls = await runBounded(['session', 'ls', profile, '--json'], { cwd: workspace.dir, boundMs: 30_000 });
    expect(ls.code).toBe(0);
    const names = (JSON.parse(ls.stdout) as { entries: Array<{ name: string }> }).entries.map((e) => e.name);
    expect(names).toContain(literal);
    const rm = await runBounded(['session', 'rm', profile, literal, '--json'], { cwd: workspace.dir, boundMs: 30_000 });
    // Found: rm exits 0 having deleted xA.txt; x\u{41}.txt is still there.
    // Fixed: only the escapes ls writes for a name's bytes are read back (\u{5c}, \u{dc80}-\u{dcff}), so
    // the literal name is what is sent. (The embedded server refuses a backslash in any path: 550.)
    const literalGone = !existsSync(path.join(workspace.root, literal));
    expect({
      ok: rm.code === 0 ? literalGone : !literalGone,
      otherKept: existsSync(path.join(workspace.root, 'xA.txt')),
    }).toEqual({
      ok: true,
      otherKept: true,
    });
    if (rm.code !== 0)
      expect((JSON.parse(rm.stdout) as { error: { message: string } }).error.message).toContain(
        'DELE x\\u{41}.txt: 550',
      );
  });

  it('starting with a space: session ls shows it in a form whose reading names that file', async () => {
    const literal = ' y\\u{41}.txt';
    writeFileSync(path.join(workspace.root, literal), 'kept name');
    writeFileSync(path.join(workspace.root, ' yA.txt'), 'another file');
    const profile = workspace.profileFolder('backslash-space');
    const ls = await runBounded(['session', 'ls', profile], { cwd: workspace.dir, boundMs: 30_000 });
    expect(ls.code).toBe(0);
    const shownLine = ls.stdout.split('\n').find((line) => line.includes('y\\') || line.includes('y\\\\'));
    expect(shownLine).toBeDefined();
    // What the table shows between the quotes is the name typed (ls quotes printableText, not JSON).
    const shown = /"(.*)"\s*$/.exec(shownLine ?? '')?.[1];
    expect(shown).toBe(' y\\u{5c}u{41}.txt');
    const typed = shown ?? '';
    const rm = await runBounded(['session', 'rm', profile, typed, '--json'], { cwd: workspace.dir, boundMs: 30_000 });
    // Found: shown as "\" y\\\\u{41}.txt\"", typed back as ' y\u{41}.txt', and rm deletes ' yA.txt'.
    const literalGone = !existsSync(path.join(workspace.root, literal));
    expect({
      ok: rm.code === 0 ? literalGone : !literalGone,
      otherKept: existsSync(path.join(workspace.root, ' yA.txt')),
    }).toEqual({
      ok: true,
      otherKept: true,
    });
  });
});
