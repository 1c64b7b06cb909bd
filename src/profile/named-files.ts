/**
 * Every file a profile or a policy names for reading (CA bundles, CRLs, the client certificate
 * and key, password and passphrase files), checked when the profile is checked
 * (`profile validate`, `resolve`, every session command) rather than at connect time.
 *
 * Here: the list of named files, and a profile's own files, each problem a ProfileProblem at
 * the JSON pointer of the path, with its line and column (`profile validate` prints
 * `file:line:col pointer message`). Files a policy supplies are checked on the resolution
 * (resolve/policy-named-files.ts). Relative paths are read from the folder of the file that
 * wrote them. The audit log (`audit.logFile`) is written, not read, and is not checked here.
 */
import path from 'node:path';
import { inspectUserFile, type UserFileKind, type UserFileProblem } from '../files/read-user-file';
import { valueAtPath } from '../settings/describe-settings';
import type { JsonDocument } from './json-source';
import type { ProfileProblem } from './profile-problems';

export interface NamedFile {
  /** The setting of the settings catalog that holds the path (`tls.pki.clientCertificate`). */
  settingPath: string;
  /** Where the path is, for messages: `tls.pki.crlFiles[0]`, `password.file`. */
  label: string;
  /** JSON pointer of the path in a profile: `/tls/pki/crlFiles/0`. */
  pointer: string;
  /** The path as written. */
  file: string;
  kind: UserFileKind;
}

function secretFile(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' && typeof (value as { file?: unknown }).file === 'string'
    ? (value as { file: string }).file
    : undefined;
}

/**
 * The files named by the settings `get` returns (a catalog path in, its value out), in schema
 * order. Pure.
 */
export function namedFiles(get: (settingPath: string) => unknown): NamedFile[] {
  const out: NamedFile[] = [];
  const add = (settingPath: string, label: string, file: unknown, kind: UserFileKind): void => {
    if (typeof file === 'string' && file !== '')
      out.push({
        settingPath,
        label,
        pointer: `/${label
          .replace(/\[(\d+)\]/g, '.$1')
          .split('.')
          .join('/')}`,
        file,
        kind,
      });
  };
  add('password', 'password.file', secretFile(get('password')), 'secret');
  add('tls.pki.caFile', 'tls.pki.caFile', get('tls.pki.caFile'), 'certificates');
  const client = get('tls.pki.clientCertificate') as
    { certFile?: unknown; keyFile?: unknown; passphrase?: unknown } | undefined;
  if (client && typeof client === 'object') {
    add('tls.pki.clientCertificate', 'tls.pki.clientCertificate.certFile', client.certFile, 'certificates');
    add('tls.pki.clientCertificate', 'tls.pki.clientCertificate.keyFile', client.keyFile, 'privateKey');
    add(
      'tls.pki.clientCertificate',
      'tls.pki.clientCertificate.passphrase.file',
      secretFile(client.passphrase),
      'secret',
    );
  }
  const crlFiles = get('tls.pki.crlFiles');
  if (Array.isArray(crlFiles))
    crlFiles.forEach((file, i) => add('tls.pki.crlFiles', `tls.pki.crlFiles[${i}]`, file, 'crl'));
  add('proxy.caFile', 'proxy.caFile', get('proxy.caFile'), 'certificates');
  const authorization = get('proxy.authorization') as { password?: unknown } | undefined;
  if (authorization && typeof authorization === 'object')
    add('proxy.authorization', 'proxy.authorization.password.file', secretFile(authorization.password), 'secret');
  return out;
}

/** "../pki/ca.pem (/home/alice/pki/ca.pem)" for a relative path, the path alone otherwise. */
export function shownPath(written: string, resolved: string): string {
  return path.isAbsolute(written) ? written : `${written} (${resolved})`;
}

function describe(named: NamedFile, resolved: string, problem: UserFileProblem): string {
  return `${named.label}: ${shownPath(named.file, resolved)} ${problem.detail}`;
}

export interface ProfileCheckOptions {
  /**
   * false: a password or passphrase file others can read is not a problem here (`resolve`,
   * `audit`, the demo report the settings' posture; a session still refuses such a file when it
   * reads the secret). Default true, as `profile validate` checks.
   */
  secretFileModes?: boolean;
}

/**
 * Problems with the files a profile names (the profile as written), each at the JSON pointer
 * of the path with its line and column when `document` is given.
 */
export async function checkProfileNamedFiles(
  profile: unknown,
  profileFile: string,
  document?: JsonDocument,
  options: ProfileCheckOptions = {},
): Promise<ProfileProblem[]> {
  const folder = path.dirname(path.resolve(profileFile));
  const files = namedFiles((settingPath) => valueAtPath(profile, settingPath));
  const problems: ProfileProblem[] = [];
  for (const named of files) {
    const resolved = path.resolve(folder, named.file);
    const problem = await inspectUserFile(resolved, named.kind, options);
    if (!problem) continue;
    const at = document?.locations.get(named.pointer)?.value;
    problems.push({
      pointer: named.pointer,
      line: at?.line ?? null,
      column: at?.column ?? null,
      message: describe(named, resolved, problem),
    });
  }
  // In the order of the text, like every other profile problem.
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}
