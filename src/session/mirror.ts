/**
 * Mirroring a tree: a plan from one listing walk (unchanged files skipped by size and
 * modification time, or by size alone where the server's time can't be read; unsafe server
 * names refused and reported; listing lines no format fits counted as failed, with the
 * line), then `parallel` worker sessions, each its own PROT P connection with TLS session
 * reuse, taking files from one queue. Every failed file is recorded (MirrorWorker.recordFailure).
 *
 * Local links are never followed inside the tree (issue: `LOCALDIR/sub -> ../outside` wrote
 * outside LOCALDIR). Downloads: a local folder or file in the way that is a symbolic link, or
 * not what the remote entry is (a FIFO, a device, a file where a folder goes), is refused and
 * reported in `refused`, and checked again (lstat, one level at a time) right before each
 * file is written. Uploads: symbolic links and special files are refused and reported. The
 * root itself is the user's: it may be a link to a folder, and must be a folder
 * (FTPSCTL_ERR_LOCAL_FILE otherwise; for uploads it must exist).
 */
import { createHash } from 'node:crypto';
import { lstat, lutimes, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FtpsSession, TransferResult } from '../engine/ftps-session';
import type { ListEntry } from '../engine/parse-list';
import { FtpsctlError, isFtpsctlError, SessionError } from '../errors';
import { errnoInWords } from '../errors';
import { downloadFile, PART_SUFFIX, type DownloadResult } from './download-file';
import { describeLocalKind, ensureFolderWithin, localPathFor, lstatIfPresent } from './safe-local-path';
import { makeFolders } from '../files/make-folders';

export interface MirrorItem {
  remote: string;
  local: string;
  size?: number;
  modifiedAt?: Date;
}

/** A line of a remote folder's listing that no format could read: the entry behind it is not mirrored. */
export interface UnreadableLine {
  folder: string;
  line: string;
}

export interface MirrorPlan {
  direction: 'download' | 'upload';
  transfers: MirrorItem[];
  skipped: string[];
  refused: Array<{ path: string; reason: string }>;
  /** Remote folders to create first (uploads). */
  remoteFolders: string[];
  unreadable: UnreadableLine[];
  /** Times that could not be read (those files were compared by size). */
  warnings: string[];
  /** The local root (downloads): every file is written below it, through real folders only. */
  localRoot?: string;
}

export interface MirrorFailure {
  path: string;
  code: string;
  message: string;
  /** Set for a listing line no format could read. */
  line?: string;
}

export interface MirrorReport {
  direction: 'download' | 'upload';
  transferred: TransferResult[];
  skipped: string[];
  refused: Array<{ path: string; reason: string }>;
  failed: MirrorFailure[];
  warnings: string[];
}

/** The failure recorded for a listing line no format could read. */
export function unreadableLineFailure(unreadable: UnreadableLine): MirrorFailure {
  return {
    path: unreadable.folder === '' ? '.' : unreadable.folder,
    code: 'FTPSCTL_ERR_PROTOCOL',
    message: `the listing of ${unreadable.folder === '' ? '.' : unreadable.folder} has a line ftpsctl cannot read, so its entry was not mirrored: ${JSON.stringify(unreadable.line)}`,
    line: unreadable.line,
  };
}

/**
 * Bounds on the walk (issue 12, defect 8: a folder that contains itself).
 * - `maxDepth` (transfer.mirrorMaxDepth): folder levels below the root that are listed;
 *   a deeper folder is refused, not listed.
 * - `maxEntries` (transfer.mirrorMaxEntries): entries the plan may hold; once reached, the
 *   folders not yet listed are refused.
 * - Loops: a folder whose MLSD `unique` fact (RFC 3659 §7.5.2) equals that of a folder above
 *   it is the same folder: refused. Without `unique` (LIST), a folder whose listing is
 *   identical (names, types, sizes, times) to that of a folder above it is taken for a loop
 *   (a symlink to an ancestor, or a server that answers every path alike) and refused; a real
 *   folder that holds exactly what its ancestor holds, down to the second, would be refused
 *   too, and is reported, so a user can mirror it on its own.
 * Everything refused is in `refused`, with the reason; nothing is dropped silently.
 */
export interface MirrorLimits {
  maxDepth: number;
  maxEntries: number;
}

/** Defaults of schemas/session-profile.schema.json. */
export const DEFAULT_MIRROR_LIMITS: MirrorLimits = { maxDepth: 64, maxEntries: 1_000_000 };

function mirrorLimits(session: FtpsSession): MirrorLimits {
  const transfer = (session as { settings?: { transfer?: { mirrorMaxDepth?: number; mirrorMaxEntries?: number } } })
    .settings?.transfer;
  return {
    maxDepth: transfer?.mirrorMaxDepth ?? DEFAULT_MIRROR_LIMITS.maxDepth,
    maxEntries: transfer?.mirrorMaxEntries ?? DEFAULT_MIRROR_LIMITS.maxEntries,
  };
}

/** What a listing says, as one digest: the same folder listed twice gives the same one. */
function listingDigest(entries: ListEntry[]): string {
  const hash = createHash('sha256');
  for (const e of entries)
    hash.update(`${e.type}\0${e.name}\0${e.size ?? ''}\0${e.modifiedAt?.getTime() ?? ''}\0${e.target ?? ''}\n`);
  return hash.digest('hex');
}

const shown = (folder: string): string => (folder === '' ? '.' : folder);

const joinRemote = (dir: string, name: string): string =>
  dir === '' || dir === '.' ? name : dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;

/**
 * The local root of a mirror, checked before anything is listed: for a download it must be a
 * folder or not exist yet (then it is created, unless `create` is false); for an upload it must be an existing folder.
 * A link to a folder is accepted (the user named it). FTPSCTL_ERR_LOCAL_FILE naming it otherwise.
 */
export async function checkMirrorRoot(
  localRoot: string,
  direction: 'download' | 'upload',
  options: { create?: boolean } = {},
): Promise<void> {
  let info;
  try {
    info = await stat(localRoot);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && direction === 'download') {
      const link = await lstatIfPresent(localRoot);
      if (link?.isSymbolicLink())
        throw new SessionError(
          'FTPSCTL_ERR_LOCAL_FILE',
          `refused to mirror into ${localRoot}: it is ${await describeLocalKind(localRoot, link)} that points nowhere; left untouched`,
          { cause: error },
        );
      if (options.create === false) return;
      await makeFolders(localRoot).catch((failure: unknown) => {
        throw new SessionError(
          'FTPSCTL_ERR_LOCAL_FILE',
          `cannot create the local folder ${localRoot}: ${errnoInWords(failure)}`,
          { cause: failure },
        );
      });
      return;
    }
    const why =
      code === 'ENOENT'
        ? 'it does not exist: create it, or check the path (an upload mirror sends an existing local folder)'
        : errnoInWords(error);
    throw new SessionError(
      'FTPSCTL_ERR_LOCAL_FILE',
      `cannot ${direction === 'upload' ? 'read' : 'use'} the local folder ${localRoot}: ${why}`,
      { cause: error },
    );
  }
  if (!info.isDirectory()) {
    throw new SessionError(
      'FTPSCTL_ERR_LOCAL_FILE',
      `cannot mirror ${direction === 'upload' ? 'from' : 'into'} ${localRoot}: it is ${await describeLocalKind(localRoot, info)}, not a folder; left untouched`,
    );
  }
}

/** Why the local path a remote entry maps to can't take it (a link, or the wrong kind), or undefined when it is absent or fits. */
async function localObstacle(local: string, wanted: 'file' | 'directory'): Promise<string | undefined> {
  let info;
  try {
    info = await lstat(local);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot check the local ${local}: ${errnoInWords(error)}`;
  }
  if (wanted === 'directory' ? info.isDirectory() : info.isFile()) return undefined;
  const kind = await describeLocalKind(local, info);
  if (info.isSymbolicLink()) return `the local ${local} is ${kind}, which a mirror never follows; left untouched`;
  return `the local ${local} is ${kind}, not a ${wanted === 'directory' ? 'folder' : 'regular file'}; left untouched`;
}

function emptyPlan(direction: MirrorPlan['direction']): MirrorPlan {
  return { direction, transfers: [], skipped: [], refused: [], remoteFolders: [], unreadable: [], warnings: [] };
}

/** Remote tree -> local folder. */
export async function planDownload(
  session: FtpsSession,
  remoteRoot: string,
  localRoot: string,
  limits: MirrorLimits = mirrorLimits(session),
): Promise<MirrorPlan> {
  await checkMirrorRoot(localRoot, 'download');
  const plan: MirrorPlan = { ...emptyPlan('download'), localRoot: path.resolve(localRoot) };
  /** Local paths as the file system will store them → the remote path that claimed each. */
  const claimed = new Map<string, string>();
  let entriesSeen = 0;
  let full = false;
  /** The folders above the one being listed: path, listing digest, MLSD unique. */
  const ancestors: Array<{ path: string; digest: string; unique?: string }> = [];
  const walk = async (remoteDir: string, segments: string[], unique?: string): Promise<void> => {
    if (full) {
      plan.refused.push({
        path: shown(remoteDir),
        reason: `refused folder ${JSON.stringify(shown(remoteDir))}: not listed, the mirror already holds transfer.mirrorMaxEntries (${limits.maxEntries}) entries`,
      });
      return;
    }
    const loop = unique !== undefined ? ancestors.find((a) => a.unique === unique) : undefined;
    if (loop) {
      plan.refused.push({
        path: remoteDir,
        reason: `refused folder ${JSON.stringify(remoteDir)}: the server says it is ${JSON.stringify(shown(loop.path))} (same MLSD unique fact ${JSON.stringify(unique)}), a folder that contains itself; not descended`,
      });
      return;
    }
    const listing = await session.listing(remoteDir);
    const digest = listingDigest(listing.entries);
    const same = segments.length > 0 ? ancestors.find((a) => a.digest === digest) : undefined;
    if (same) {
      plan.refused.push({
        path: remoteDir,
        reason: `refused folder ${JSON.stringify(remoteDir)}: its listing is identical to that of ${JSON.stringify(shown(same.path))} above it, which is taken for a folder that contains itself (a loop); not descended. Mirror it on its own if it is a real folder`,
      });
      return;
    }
    if (entriesSeen + listing.entries.length > limits.maxEntries) {
      full = true;
      plan.refused.push({
        path: shown(remoteDir),
        reason: `refused folder ${JSON.stringify(shown(remoteDir))}: its ${listing.entries.length} entries would take the mirror past transfer.mirrorMaxEntries (${limits.maxEntries}); not mirrored`,
      });
      return;
    }
    entriesSeen += listing.entries.length;
    ancestors.push({ path: remoteDir, digest, ...(unique !== undefined ? { unique } : {}) });
    try {
      await walkListing(remoteDir, segments, listing);
    } finally {
      ancestors.pop();
    }
  };
  const walkListing = async (
    remoteDir: string,
    segments: string[],
    listing: Awaited<ReturnType<FtpsSession['listing']>>,
  ): Promise<void> => {
    for (const line of listing.unparsed) plan.unreadable.push({ folder: remoteDir, line });
    for (const warning of listing.warnings)
      plan.warnings.push(`${remoteDir === '' ? '.' : remoteDir}: ${warning}; compared by size`);
    for (const entry of listing.entries) {
      const remote = joinRemote(remoteDir, entry.name);
      // A name with CR, LF or NUL (a listing line holding a bare CR) can't be sent back in a command (RFC 959 §4.1.3): reported, never dropped.
      const target = /[\r\n\0]/.test(entry.name)
        ? {
            problem: `refused server name ${JSON.stringify(entry.name)}: it contains CR, LF or NUL, which an FTP command cannot carry`,
          }
        : entry.name.endsWith(PART_SUFFIX)
          ? {
              problem: `refused server name ${JSON.stringify(entry.name)}: names ending in ${PART_SUFFIX} are ftpsctl's own part files`,
            }
          : localPathFor(localRoot, [...segments, entry.name]);
      if ('problem' in target) {
        plan.refused.push({ path: remote, reason: target.problem });
        continue;
      }
      // Only files and folders are written (a link or other entry is refused below).
      if (entry.type === 'directory' || entry.type === 'file') {
        const noun = entry.type === 'directory' ? 'folder' : 'file';
        const key = storedPathKey(target.path);
        const earlier = claimed.get(key);
        const problem =
          earlier !== undefined
            ? `it would be written to the same local ${noun} as ${JSON.stringify(earlier)} (${COLLISION_WHY}); not mirrored`
            : await localObstacle(target.path, entry.type);
        if (problem) {
          plan.refused.push({ path: remote, reason: `refused ${noun} ${JSON.stringify(remote)}: ${problem}` });
          continue;
        }
        claimed.set(key, remote);
      }
      if (entry.type === 'directory') {
        if (segments.length + 1 > limits.maxDepth)
          plan.refused.push({
            path: remote,
            reason: `refused folder ${JSON.stringify(remote)}: deeper than transfer.mirrorMaxDepth (${limits.maxDepth} levels); not listed`,
          });
        else await walk(remote, [...segments, entry.name], entry.unique);
      } else if (entry.type === 'file') {
        if (await unchangedLocally(target.path, entry)) plan.skipped.push(remote);
        else
          plan.transfers.push({
            remote,
            local: target.path,
            ...(entry.size !== undefined ? { size: entry.size } : {}),
            ...(entry.modifiedAt ? { modifiedAt: entry.modifiedAt } : {}),
          });
      } else
        plan.refused.push({
          path: remote,
          reason: `refused ${entry.type} ${JSON.stringify(entry.name)}: only files and folders are mirrored`,
        });
    }
  };
  await walk(remoteRoot, []);
  return plan;
}

/** Same size and same second of modification; where the server gave no readable time, the same size. */
async function unchangedLocally(local: string, entry: ListEntry): Promise<boolean> {
  try {
    const info = await lstat(local);
    if (!info.isFile()) return false;
    if (entry.size === undefined || info.size !== entry.size) return false;
    if (entry.modifiedAt === undefined) return true;
    return Math.floor(info.mtimeMs / 1000) === Math.floor(entry.modifiedAt.getTime() / 1000);
  } catch {
    return false;
  }
}

/** Local folder -> remote tree. A remote file of the same size that is not older is unchanged. */
export async function planUpload(
  session: FtpsSession,
  localRoot: string,
  remoteRoot: string,
  limits: MirrorLimits = mirrorLimits(session),
): Promise<MirrorPlan> {
  await checkMirrorRoot(localRoot, 'upload');
  const plan: MirrorPlan = { ...emptyPlan('upload'), localRoot: path.resolve(localRoot) };
  let entriesSeen = 0;
  // Local folders are read without following symlinks (readdir's Dirent), so no local loop; depth and size still bound the walk.
  const walk = async (localDir: string, remoteDir: string, remoteExists: boolean, depth = 0): Promise<void> => {
    const remoteEntries = new Map<string, ListEntry>();
    if (remoteExists) {
      const listing = await session.listing(remoteDir);
      // An unreadable line may be a remote file of the same name: it is reported, and the local file still goes up.
      for (const line of listing.unparsed) plan.unreadable.push({ folder: remoteDir, line });
      for (const warning of listing.warnings) plan.warnings.push(`${remoteDir}: ${warning}; compared by size`);
      for (const entry of listing.entries) remoteEntries.set(entry.name, entry);
    }
    let dirents;
    try {
      dirents = await readdir(localDir, { withFileTypes: true });
    } catch (error) {
      if (depth === 0)
        throw new SessionError(
          'FTPSCTL_ERR_LOCAL_FILE',
          `cannot read the local folder ${localDir}: ${errnoInWords(error)}`,
          { cause: error },
        );
      plan.refused.push({
        path: localDir,
        reason: `refused folder ${JSON.stringify(localDir)}: cannot read it: ${errnoInWords(error)}; not mirrored`,
      });
      return;
    }
    if (entriesSeen + dirents.length > limits.maxEntries) {
      plan.refused.push({
        path: localDir,
        reason: `refused folder ${JSON.stringify(localDir)}: its ${dirents.length} entries would take the mirror past transfer.mirrorMaxEntries (${limits.maxEntries}); not mirrored`,
      });
      return;
    }
    entriesSeen += dirents.length;
    for (const dirent of dirents) {
      const local = path.join(localDir, dirent.name);
      const remote = joinRemote(remoteDir, dirent.name);
      if (/[\r\n\0]/.test(dirent.name)) {
        plan.refused.push({ path: local, reason: 'refused: the name contains CR, LF or NUL, which FTP cannot carry' });
        continue;
      }
      const existing = remoteEntries.get(dirent.name);
      if (dirent.name.includes('\ufffd') && (await lstat(local).catch(() => undefined)) === undefined) {
        // readdir gave U+FFFD for bytes that are not UTF-8: no path reaches the entry, so nothing is made for it remotely.
        plan.refused.push({
          path: local,
          reason: `refused ${JSON.stringify(local)}: its name is not valid UTF-8 (shown with U+FFFD), so it can't be opened by name; rename it to UTF-8 to mirror it`,
        });
        continue;
      }
      if (dirent.isDirectory()) {
        if (depth + 1 > limits.maxDepth) {
          plan.refused.push({
            path: local,
            reason: `refused folder ${JSON.stringify(local)}: deeper than transfer.mirrorMaxDepth (${limits.maxDepth} levels); not mirrored`,
          });
          continue;
        }
        if (!existing) plan.remoteFolders.push(remote);
        await walk(local, remote, existing?.type === 'directory', depth + 1);
      } else if (dirent.isFile() && dirent.name.endsWith(PART_SUFFIX)) {
        // The download direction refuses these names: an unfinished download never goes up half done.
        plan.refused.push({
          path: local,
          reason: `refused ${JSON.stringify(local)}: it is the part file of an unfinished download (names ending in ${PART_SUFFIX} are ftpsctl's own); not uploaded: finish it with session get --resume, or delete it`,
        });
      } else if (dirent.isFile()) {
        const info = await lstat(local).catch((error: unknown) => error as Error);
        if (info instanceof Error || !info.isFile()) {
          plan.refused.push({
            path: local,
            reason: `refused ${JSON.stringify(local)}: ${info instanceof Error ? `cannot read it: ${errnoInWords(info)}` : `it changed while being listed and is now ${await describeLocalKind(local, info)}`}; not mirrored`,
          });
          continue;
        }
        const unchanged =
          existing?.type === 'file' &&
          existing.size === info.size &&
          (existing.modifiedAt === undefined ||
            existing.modifiedAt.getTime() >= Math.floor(info.mtimeMs / 1000) * 1000);
        if (unchanged) plan.skipped.push(remote);
        else plan.transfers.push({ remote, local, size: info.size });
      } else {
        const info = await lstat(local).catch(() => undefined);
        const kind = info ? await describeLocalKind(local, info) : 'not a file or folder';
        plan.refused.push({
          path: local,
          reason: `refused ${JSON.stringify(local)}: it is ${kind}; only regular files and folders are mirrored, links are never followed`,
        });
      }
    }
  };
  const rootExists = await session
    .stat(remoteRoot)
    .then((e) => e !== undefined && e.type !== 'file')
    .catch(() => false);
  if (!rootExists) plan.remoteFolders.push(remoteRoot);
  await walk(localRoot, remoteRoot, rootExists);
  return plan;
}

/**
 * A local path as the file system will store it: Node writes a lone surrogate (a server's
 * non-UTF-8 byte, kept by name-codec.ts) as U+FFFD, and Windows and macOS file systems ignore
 * case (macOS also normalises to NFC), so two different remote names can be one local file.
 */
function storedPathKey(localPath: string): string {
  const stored = Buffer.from(localPath, 'utf8').toString('utf8');
  return CASE_FOLDING_FILE_SYSTEMS ? stored.normalize('NFC').toLowerCase() : stored;
}

const CASE_FOLDING_FILE_SYSTEMS = process.platform === 'win32' || process.platform === 'darwin';
const COLLISION_WHY = CASE_FOLDING_FILE_SYSTEMS
  ? 'the names differ only in case, or in bytes that are not UTF-8, which local file names here do not keep apart'
  : 'the names differ only in bytes that are not UTF-8, which a local file name can not keep';

export interface MirrorWorker {
  session: FtpsSession;
  record(result: TransferResult): Promise<void>;
  /** A file that failed (or was never tried): a `transfer` event with outcome failure. */
  recordFailure(failure: {
    item: MirrorItem;
    error: unknown;
    durationMs?: number;
    listingLine?: string;
  }): Promise<void>;
  end(error?: unknown): Promise<void>;
}

export interface RunMirrorOptions {
  parallel: number;
  resume: boolean;
  /** MKD of a remote folder an upload needs, on the first connection, recorded (a directory.create event). */
  makeFolder: (path: string) => Promise<void>;
  openWorker: () => Promise<MirrorWorker>;
  onFileStart?: (item: MirrorItem) => (bytes: number) => void;
  onFileDone?: (item: MirrorItem) => void;
  /** True once the mirror must stop (its session was closed): no file starts after that. */
  stopped?: () => boolean;
}

/** Failures of one file after which its worker's session is still in step (FtpsSession.markBrokenOn). */
const SESSION_SURVIVES = new Set(['FTPSCTL_ERR_COMMAND_FAILED', 'FTPSCTL_ERR_VERIFY', 'FTPSCTL_ERR_LOCAL_FILE']);

export async function runMirror(
  plan: MirrorPlan,
  first: MirrorWorker,
  options: RunMirrorOptions,
): Promise<MirrorReport> {
  const report: MirrorReport = {
    direction: plan.direction,
    transferred: [],
    skipped: plan.skipped,
    refused: plan.refused,
    failed: [],
    warnings: plan.warnings,
  };
  for (const unreadable of plan.unreadable) {
    const failure = unreadableLineFailure(unreadable);
    report.failed.push(failure);
    await first.recordFailure({
      item: { remote: failure.path, local: '' },
      error: new FtpsctlError('FTPSCTL_ERR_PROTOCOL', failure.message),
      listingLine: unreadable.line,
    });
  }
  for (const folder of plan.remoteFolders) await options.makeFolder(folder);
  const queue = [...plan.transfers];
  const workerCount = Math.max(1, Math.min(options.parallel, queue.length));
  const work = async (worker: MirrorWorker): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      if (options.stopped?.()) {
        queue.unshift(item);
        return;
      }
      const progress = options.onFileStart?.(item);
      const started = Date.now();
      try {
        const result =
          plan.direction === 'download'
            ? await download(worker.session, item, options.resume, progress, plan.localRoot)
            : await worker.session.put(item.local, item.remote, {
                sha256: true,
                // The tree may have changed since the plan: no link is followed on the way to the file.
                ...(plan.localRoot !== undefined ? { confinedTo: plan.localRoot } : {}),
                ...(progress ? { onProgress: progress } : {}),
              });
        await worker.record(result);
        report.transferred.push(result);
        const discarded = (result as DownloadResult).partDiscarded;
        if (discarded) report.warnings.push(`${item.remote}: ${discarded}`);
      } catch (error) {
        report.failed.push({
          path: item.remote,
          code: isFtpsctlError(error) ? error.code : 'FTPSCTL_ERR_INTERNAL',
          message: (error as Error).message,
        });
        await worker.recordFailure({ item, error, durationMs: Date.now() - started }).catch(() => undefined);
        // A refusal, a failed check or a local file problem leaves the session usable (FtpsSession.markBrokenOn); anything else: let the others finish the queue.
        if (!isFtpsctlError(error) || !SESSION_SURVIVES.has(error.code)) return;
      } finally {
        options.onFileDone?.(item);
      }
    }
  };
  const extra: MirrorWorker[] = [];
  try {
    // The first connection starts at once; the others log in meanwhile (a login costs ~40 ms
    // of PAM, more on proftpd) and join the queue as soon as they are ready. A server that
    // limits connections per client still gets the mirror done, with fewer workers; a worker
    // that arrives after the queue ran dry is closed unused.
    const joining = Array.from({ length: workerCount - 1 }, async () => {
      const worker = await options.openWorker().catch(() => undefined);
      if (!worker) return;
      extra.push(worker);
      await work(worker);
    });
    await Promise.all([work(first), ...joining]);
  } finally {
    await Promise.all(extra.map((w) => w.end()));
  }
  // Stopped, or every worker lost its connection: what is left was never tried, and is reported so.
  const why = options.stopped?.()
    ? 'the mirror was stopped (its session was closed) before its turn'
    : 'every connection failed before its turn';
  for (const item of queue.splice(0)) {
    const message = `${item.remote} was not transferred: ${why}`;
    report.failed.push({ path: item.remote, code: 'FTPSCTL_ERR_CLOSED', message });
    await first.recordFailure({ item, error: new FtpsctlError('FTPSCTL_ERR_CLOSED', message) }).catch(() => undefined);
  }
  return report;
}

async function download(
  session: FtpsSession,
  item: MirrorItem,
  resume: boolean,
  onProgress?: (bytes: number) => void,
  localRoot?: string,
): Promise<TransferResult> {
  // Checked again now (the plan may be minutes old): every level below the root a real folder, never a link.
  if (localRoot !== undefined) await ensureFolderWithin(localRoot, path.dirname(item.local));
  else await makeFolders(path.dirname(item.local));
  const result = await downloadFile(session, item.remote, item.local, {
    resume,
    ...(onProgress ? { onProgress } : {}),
    ...(item.size !== undefined ? { remoteSize: item.size } : {}),
    ...(item.modifiedAt ? { remoteModifiedAt: item.modifiedAt } : {}),
  });
  // So the next mirror sees it unchanged; lutimes: never through a link.
  if (item.modifiedAt) {
    const time = item.modifiedAt;
    await lutimes(item.local, time, time).catch((error: unknown) => {
      throw new SessionError(
        'FTPSCTL_ERR_LOCAL_FILE',
        `downloaded ${item.local}, but cannot set its modification time: ${errnoInWords(error)}; the next mirror will download it again`,
        { cause: error },
      );
    });
  }
  return result;
}
