/**
 * Every file a profile or a policy names for reading (CA bundles, CRLs, the client certificate
 * and key, password and passphrase files), checked when the profile is checked
 * (`profile validate`, `resolve`, every session command) rather than at connect time.
 *
 *  - A profile's own files: each problem is a ProfileProblem at the JSON pointer of the path,
 *    with its line and column (`profile validate` prints `file:line:col pointer message`).
 *  - Files a policy supplies (a mandatory tls.pki.caFile): checked on the resolution, each
 *    problem names the policy file and line that set it (NamedFileError, exit 3).
 *
 * Relative paths are read from the folder of the file that wrote them (anchor-paths.ts). The
 * audit log (`audit.logFile`) is written, not read, and is not checked here.
 */
import path from 'node:path';
import { FtpsctlError } from '../errors/ftpsctl-error';
import { inspectUserFile, type UserFileKind, type UserFileProblem } from '../files/read-user-file';
import { anchorFolder } from '../resolve/anchor-paths';
import { valueAtPath } from '../settings/describe-settings';
import type { JsonDocument } from './json-source';
import type { ProfileProblem } from './profile-problems';
import type { Resolution } from '../resolve/resolution';

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
function shownPath(written: string, resolved: string): string {
  return path.isAbsolute(written) ? written : `${written} (${resolved})`;
}

function describe(named: NamedFile, resolved: string, problem: UserFileProblem): string {
  return `${named.label}: ${shownPath(named.file, resolved)} ${problem.detail}`;
}

/**
 * Problems with the files a profile names (the profile as written), each at the JSON pointer
 * of the path with its line and column when `document` is given.
 */
export async function checkProfileNamedFiles(
  profile: unknown,
  profileFile: string,
  document?: JsonDocument,
): Promise<ProfileProblem[]> {
  const folder = path.dirname(path.resolve(profileFile));
  const files = namedFiles((settingPath) => valueAtPath(profile, settingPath));
  const problems: ProfileProblem[] = [];
  for (const named of files) {
    const resolved = path.resolve(folder, named.file);
    const problem = await inspectUserFile(resolved, named.kind);
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

/** A file a policy supplies, with the policy that supplied it. */
export interface PolicyFileProblem {
  setting: string;
  file: string;
  reason: UserFileProblem['reason'];
  policy?: string;
  policyFile?: string;
  line?: number;
  column?: number;
  message: string;
  /** The message without its leading `file:line:col ` (for reports that print the place themselves). */
  detail: string;
}

/**
 * Problems with the files that policies put into a resolution (the profile's own files were
 * checked when it was loaded), each naming the policy file and line.
 */
export async function checkPolicyNamedFiles(
  resolution: Pick<Resolution, 'settings'>,
  profileFile: string,
): Promise<PolicyFileProblem[]> {
  const files = namedFiles((settingPath) => resolution.settings[settingPath]?.value).filter(
    (named) => resolution.settings[named.settingPath]?.source === 'policy',
  );
  const problems: PolicyFileProblem[] = [];
  for (const named of files) {
    const resolved = path.resolve(anchorFolder(named.settingPath, profileFile, resolution), named.file);
    const problem = await inspectUserFile(resolved, named.kind);
    if (!problem) continue;
    const origin = resolution.settings[named.settingPath];
    const where = origin.file ? `${origin.file}${origin.line ? `:${origin.line}:${origin.column ?? 1}` : ''} ` : '';
    const by = origin.policy ? ` (${origin.enforce ?? 'set'} in policy ${origin.policy})` : '';
    const detail = `${named.label}${by}: ${shownPath(named.file, resolved)} ${problem.detail}`;
    problems.push({
      setting: named.label,
      file: resolved,
      reason: problem.reason,
      ...(origin.policy ? { policy: origin.policy } : {}),
      ...(origin.file ? { policyFile: origin.file } : {}),
      ...(origin.line ? { line: origin.line, column: origin.column ?? 1 } : {}),
      message: `${where}${detail}`,
      detail,
    });
  }
  return problems;
}

/** Files a policy names that can't be read: the session can't run as the policy demands (exit 3). */
export class NamedFileError extends FtpsctlError {
  constructor(readonly problems: PolicyFileProblem[]) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      'FTPSCTL_ERR_INPUT_FILE',
      `a file a policy names can't be used (${count}):\n${problems.map((p) => `  ${p.message}`).join('\n')}`,
    );
  }

  override details(): Record<string, unknown> {
    return { problems: this.problems };
  }
}

/** Throws NamedFileError when a file a policy put into the resolution is missing, special, oversize or unreadable. */
export async function assertPolicyNamedFiles(
  resolution: Pick<Resolution, 'settings'>,
  profileFile: string,
): Promise<void> {
  const problems = await checkPolicyNamedFiles(resolution, profileFile);
  if (problems.length > 0) throw new NamedFileError(problems);
}
