/**
 * transfer.parallel must scale: the first connection starts on the queue at once, the others
 * join as soon as their login is done (not after every login), one that arrives after the queue
 * ran dry is closed unused, and a worker that can't connect leaves the work to the others.
 */
import type { FtpsSession, TransferResult } from '../engine/ftps-session';
import { runMirror, type MirrorItem, type MirrorPlan, type MirrorWorker } from './mirror';

function plan(count: number): MirrorPlan {
  const transfers: MirrorItem[] = Array.from({ length: count }, (_, i) => ({
    remote: `r/${i}`,
    local: `/l/${i}`,
    size: 1,
  }));
  return { direction: 'upload', transfers, skipped: [], refused: [], remoteFolders: [], unreadable: [], warnings: [] };
}

/** A worker whose uploads settle when the test says so, recording who did what in `log`. */
function fakeWorker(name: string, log: string[]): MirrorWorker & { ended: boolean } {
  const session = {
    put: async (_local: string, remote: string): Promise<TransferResult> => {
      log.push(`${name} ${remote}`);
      await new Promise((resolve) => setImmediate(resolve));
      return {
        direction: 'upload',
        remotePath: remote,
        bytes: 1,
        offset: 0,
        durationMs: 0,
        verifiedBy: 'size',
        encrypted: true,
        sessionResumed: true,
      };
    },
    mkdir: async () => undefined,
  } as unknown as FtpsSession;
  const worker = {
    session,
    ended: false,
    record: async () => undefined,
    recordFailure: async () => undefined,
    end: async () => {
      worker.ended = true;
    },
  };
  return worker;
}

describe('runMirror workers', () => {
  it('starts the first connection before the other logins are done, and lets them join', async () => {
    const log: string[] = [];
    let admit: () => void = () => undefined;
    const loginDone = new Promise<void>((resolve) => (admit = resolve));
    const extra = fakeWorker('second', log);
    const report = runMirror(plan(20), fakeWorker('first', log), {
      parallel: 2,
      resume: false,
      makeFolder: async (folder) => void log.push(`mkdir ${folder}`),
      openWorker: async () => {
        log.push('login');
        await loginDone;
        return extra;
      },
    });
    // Let the first worker move several files while the second is still logging in.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(log.filter((l) => l.startsWith('first')).length).toBeGreaterThan(1);
    expect(log.some((l) => l.startsWith('second'))).toBe(false);
    admit();
    const done = await report;
    expect(done.transferred).toHaveLength(20);
    expect(done.failed).toEqual([]);
    expect(log.some((l) => l.startsWith('second'))).toBe(true);
    expect(extra.ended).toBe(true);
  });

  it('closes a worker that arrives after the queue ran dry, unused', async () => {
    const log: string[] = [];
    const late = fakeWorker('late', log);
    const report = await runMirror(plan(3), fakeWorker('first', log), {
      parallel: 2,
      resume: false,
      makeFolder: async (folder) => void log.push(`mkdir ${folder}`),
      openWorker: async () => {
        for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
        return late;
      },
    });
    expect(report.transferred).toHaveLength(3);
    expect(log.every((l) => l.startsWith('first'))).toBe(true);
    expect(late.ended).toBe(true);
  });

  it('finishes with fewer workers when some cannot connect', async () => {
    const log: string[] = [];
    let opened = 0;
    const report = await runMirror(plan(12), fakeWorker('first', log), {
      parallel: 4,
      resume: false,
      makeFolder: async (folder) => void log.push(`mkdir ${folder}`),
      openWorker: async () => {
        opened += 1;
        if (opened % 2 === 0) throw new Error('421 too many connections');
        return fakeWorker(`extra${opened}`, log);
      },
    });
    expect(opened).toBe(3);
    expect(report.transferred.map((t) => t.remotePath).sort()).toEqual(
      plan(12)
        .transfers.map((t) => t.remote)
        .sort(),
    );
    expect(report.failed).toEqual([]);
  });
});
