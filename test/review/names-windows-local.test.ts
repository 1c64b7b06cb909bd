/**
 * Review (names between servers, file systems and the terminal): server names as Windows
 * file names. ftpsctl runs on Windows (README: policies in C:\ProgramData, Group Policy;
 * mirror.ts folds case there). unsafeNameReason refuses `..`, `/`, `\`, a leading drive letter
 * and control characters, on every platform alike; a name that Win32 turns into another file
 * passes, and a download mirror writes it:
 *
 * - reserved device names, with or without an extension (`CON`, `nul`, `aux.txt`, `COM1.log`,
 *   `LPT9`): the "file" is the console, the null device or a port (Win32 path rules; fixed in
 *   Windows 11 only for some of them);
 * - a colon after the first two characters (`report.txt:hidden`): an NTFS alternate data stream
 *   of `report.txt`, written beside what the user sees;
 * - a trailing dot or space (`notes.`, `notes `): Win32 strips it, so the file is `notes`, another
 *   remote name's local file (the collision check compares the names as given);
 * - `<>:"|?*`: not allowed in Win32 names (ERROR_INVALID_NAME, or wildcard matching for `?*`).
 *
 * Each should be refused (with its reason) when ftpsctl runs on Windows.
 */
import path from 'node:path';

type SafeLocalPath = typeof import('../../src/session/safe-local-path');

/** The module as loaded on Windows: process.platform is win32 while it is required and called. */
function onWindows<T>(run: (module: SafeLocalPath) => T): T {
  const platform = Object.getOwnPropertyDescriptor(process, 'platform');
  Object.defineProperty(process, 'platform', { value: 'win32' });
  try {
    let result: T | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded after the platform is set
      result = run(require('../../src/session/safe-local-path') as SafeLocalPath);
    });
    return result as T;
  } finally {
    if (platform) Object.defineProperty(process, 'platform', platform);
  }
}

const NAMES = [
  'CON',
  'nul',
  'aux.txt',
  'COM1.log',
  'LPT9',
  'report.txt:hidden',
  'notes.',
  'notes ',
  'a<b.txt',
  'a>b.txt',
  'a"b.txt',
  'a|b.txt',
  'a?b.txt',
  'a*b.txt',
];

describe('on Windows, a server name that Win32 would take for another file is refused', () => {
  it.each(NAMES)('%j', (name) => {
    const reason = onWindows((module) => module.unsafeNameReason(name));
    expect(reason).toEqual(expect.any(String));
  });

  it('localPathFor refuses them too (a mirror plans with it)', () => {
    const accepted = onWindows((module) =>
      NAMES.filter((name) => 'path' in module.localPathFor(path.join(process.cwd(), 'mirror'), ['sub', name])),
    );
    expect(accepted).toEqual([]);
  });
});
