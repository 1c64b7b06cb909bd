/**
 * Mirroring a tree: a plan from one listing walk (unchanged files skipped by size and
 * modification time, unsafe server names refused and reported), then `parallel` worker
 * sessions, each its own PROT P connection with TLS session reuse, taking files from one queue.
 */
import { mkdir, readdir, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { FtpsSession, TransferResult } from '../engine/ftps-session';
import type { ListEntry } from '../engine/parse-list';
import { isFtpsctlError } from '../errors';
import { downloadFile, PART_SUFFIX } from './download-file';
import { localPathFor } from './safe-local-path';

export interface MirrorItem {
  remote: string;
  local: string;
  size?: number;
  modifiedAt?: Date;
}

export interface MirrorPlan {
  direction: 'download' | 'upload';
  transfers: MirrorItem[];
  skipped: string[];
  refused: Array<{ path: string; reason: string }>;
  /** Remote folders to create first (uploads). */
  remoteFolders: string[];
}

export interface MirrorReport {
  direction: 'download' | 'upload';
  transferred: TransferResult[];
  skipped: string[];
  refused: Array<{ path: string; reason: string }>;
  failed: Array<{ path: string; code: string; message: string }>;
}

const joinRemote = (dir: string, name: string): string => (dir === '' || dir === '.' ? name : dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`);

/** Remote tree -> local folder. */
export async function planDownload(session: FtpsSession, remoteRoot: string, localRoot: string): Promise<MirrorPlan> {
  const plan: MirrorPlan = { direction: 'download', transfers: [], skipped: [], refused: [], remoteFolders: [] };
  const walk = async (remoteDir: string, segments: string[]): Promise<void> => {
    for (const entry of await session.list(remoteDir)) {
      const remote = joinRemote(remoteDir, entry.name);
      const target = entry.name.endsWith(PART_SUFFIX) ? { problem: `refused server name ${JSON.stringify(entry.name)}: names ending in ${PART_SUFFIX} are ftpsctl's own part files` } : localPathFor(localRoot, [...segments, entry.name]);
      if ('problem' in target) {
        plan.refused.push({ path: remote, reason: target.problem });
        continue;
      }
      if (entry.type === 'directory') await walk(remote, [...segments, entry.name]);
      else if (entry.type === 'file') {
        if (await unchangedLocally(target.path, entry)) plan.skipped.push(remote);
        else plan.transfers.push({ remote, local: target.path, ...(entry.size !== undefined ? { size: entry.size } : {}), ...(entry.modifiedAt ? { modifiedAt: entry.modifiedAt } : {}) });
      } else plan.refused.push({ path: remote, reason: `refused ${entry.type} ${JSON.stringify(entry.name)}: only files and folders are mirrored` });
    }
  };
  await walk(remoteRoot, []);
  return plan;
}

async function unchangedLocally(local: string, entry: ListEntry): Promise<boolean> {
  try {
    const info = await stat(local);
    if (entry.size === undefined || info.size !== entry.size) return false;
    return entry.modifiedAt !== undefined && Math.floor(info.mtimeMs / 1000) === Math.floor(entry.modifiedAt.getTime() / 1000);
  } catch {
    return false;
  }
}

/** Local folder -> remote tree. A remote file of the same size that is not older is unchanged. */
export async function planUpload(session: FtpsSession, localRoot: string, remoteRoot: string): Promise<MirrorPlan> {
  const plan: MirrorPlan = { direction: 'upload', transfers: [], skipped: [], refused: [], remoteFolders: [] };
  const walk = async (localDir: string, remoteDir: string, remoteExists: boolean): Promise<void> => {
    const remoteEntries = new Map<string, ListEntry>();
    if (remoteExists) for (const entry of await session.list(remoteDir)) remoteEntries.set(entry.name, entry);
    for (const dirent of await readdir(localDir, { withFileTypes: true })) {
      const local = path.join(localDir, dirent.name);
      const remote = joinRemote(remoteDir, dirent.name);
      if (/[\r\n\0]/.test(dirent.name)) {
        plan.refused.push({ path: local, reason: 'refused: the name contains CR, LF or NUL, which FTP cannot carry' });
        continue;
      }
      const existing = remoteEntries.get(dirent.name);
      if (dirent.isDirectory()) {
        if (!existing) plan.remoteFolders.push(remote);
        await walk(local, remote, existing?.type === 'directory');
      } else if (dirent.isFile()) {
        const info = await stat(local);
        const unchanged = existing?.type === 'file' && existing.size === info.size && existing.modifiedAt !== undefined && existing.modifiedAt.getTime() >= Math.floor(info.mtimeMs / 1000) * 1000;
        if (unchanged) plan.skipped.push(remote);
        else plan.transfers.push({ remote, local, size: info.size });
      } else plan.refused.push({ path: local, reason: 'refused: only files and folders are mirrored' });
    }
  };
  const rootExists = await session.stat(remoteRoot).then((e) => e !== undefined && e.type !== 'file').catch(() => false);
  if (!rootExists) plan.remoteFolders.push(remoteRoot);
  await walk(localRoot, remoteRoot, rootExists);
  return plan;
}

export interface MirrorWorker {
  session: FtpsSession;
  record(result: TransferResult): Promise<void>;
  end(error?: unknown): Promise<void>;
}

export interface RunMirrorOptions {
  parallel: number;
  resume: boolean;
  openWorker: () => Promise<MirrorWorker>;
  onFileStart?: (item: MirrorItem) => (bytes: number) => void;
  onFileDone?: (item: MirrorItem) => void;
}

export async function runMirror(plan: MirrorPlan, first: MirrorWorker, options: RunMirrorOptions): Promise<MirrorReport> {
  const report: MirrorReport = { direction: plan.direction, transferred: [], skipped: plan.skipped, refused: plan.refused, failed: [] };
  for (const folder of plan.remoteFolders) await first.session.mkdir(folder);
  const queue = [...plan.transfers];
  const workerCount = Math.max(1, Math.min(options.parallel, queue.length));
  const work = async (worker: MirrorWorker): Promise<void> => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      const progress = options.onFileStart?.(item);
      try {
        const result = plan.direction === 'download' ? await download(worker.session, item, options.resume, progress) : await worker.session.put(item.local, item.remote, { sha256: true, ...(progress ? { onProgress: progress } : {}) });
        await worker.record(result);
        report.transferred.push(result);
      } catch (error) {
        report.failed.push({ path: item.remote, code: isFtpsctlError(error) ? error.code : 'FTPSCTL_ERR_INTERNAL', message: (error as Error).message });
        if (!isFtpsctlError(error) || error.code !== 'FTPSCTL_ERR_COMMAND_FAILED') return; // the connection is gone: let the others finish the queue
      } finally {
        options.onFileDone?.(item);
      }
    }
  };
  const extra: MirrorWorker[] = [];
  try {
    // A server that limits connections per client still gets the mirror done, with fewer workers.
    for (let i = 1; i < workerCount; i++) {
      const worker = await options.openWorker().catch(() => undefined);
      if (!worker) break;
      extra.push(worker);
    }
    await Promise.all([work(first), ...extra.map(work)]);
  } finally {
    await Promise.all(extra.map((w) => w.end()));
  }
  // Every worker lost its connection: what is left was never tried, and is reported so.
  for (const item of queue.splice(0)) report.failed.push({ path: item.remote, code: 'FTPSCTL_ERR_CLOSED', message: `${item.remote} was not transferred: every connection failed before its turn` });
  return report;
}

async function download(session: FtpsSession, item: MirrorItem, resume: boolean, onProgress?: (bytes: number) => void): Promise<TransferResult> {
  await mkdir(path.dirname(item.local), { recursive: true });
  const result = await downloadFile(session, item.remote, item.local, { resume, ...(onProgress ? { onProgress } : {}), ...(item.size !== undefined ? { remoteSize: item.size } : {}) });
  if (item.modifiedAt) await utimes(item.local, item.modifiedAt, item.modifiedAt); // so the next mirror sees it unchanged
  return result;
}
