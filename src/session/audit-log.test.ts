import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, open, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtpsctlError } from '../errors';
import { exitCodeFor } from '../errors/exit-codes';
import type { AuditEvent } from './audit-events';
import { AuditLog, wellFormedEvent, type AuditFileHandle } from './audit-log';

const event = (n: number): AuditEvent => ({ event: 'session.start', n, text: 'x'.repeat(40) }) as unknown as AuditEvent;

async function tempFile(name = 'audit.jsonl'): Promise<string> {
  return path.join(await mkdtemp(path.join(tmpdir(), 'ftpsctl-audit-')), name);
}

/** A real file whose writes take at most `chunk` bytes each and fail with `code` once `capacity` bytes are in. */
function limitedFile(options: { chunk?: number; capacity?: number; code?: string; zeroProgress?: boolean }) {
  return async (file: string): Promise<AuditFileHandle> => {
    const handle = await open(file, 'a+', 0o600);
    let total = 0;
    return {
      fd: handle.fd,
      read: (b, o, l, p) => handle.read(b, o, l, p),
      stat: () => handle.stat(),
      close: () => handle.close(),
      async write(buffer, offset, length) {
        if (options.zeroProgress) return { bytesWritten: 0 };
        const room = (options.capacity ?? Infinity) - total;
        if (room <= 0)
          throw Object.assign(new Error(`${options.code ?? 'ENOSPC'}: simulated`), { code: options.code ?? 'ENOSPC' });
        const n = Math.min(length, options.chunk ?? length, room);
        const { bytesWritten } = await handle.write(buffer, offset, n);
        total += bytesWritten;
        return { bytesWritten };
      },
    };
  };
}

async function rejection(promise: Promise<unknown>): Promise<FtpsctlError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FtpsctlError);
    return error as FtpsctlError;
  }
  throw new Error('expected a rejection');
}

describe('AuditLog', () => {
  it('finishes a line through short writes: every line whole, in order', async () => {
    const file = await tempFile();
    const log = await AuditLog.open([file], { openFile: limitedFile({ chunk: 7 }) });
    await Promise.all([1, 2, 3].map((n) => log.write(event(n))));
    await log.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([1, 2, 3]);
  });

  it.each(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG'])(
    'fails closed on %s in the middle of a line, naming the file; later writes fail the same way and append nothing',
    async (code) => {
      const file = await tempFile();
      const first = Buffer.byteLength(`${JSON.stringify(event(1))}\n`);
      const log = await AuditLog.open([file], { openFile: limitedFile({ capacity: first + 10, code }) });
      await log.write(event(1));
      const error = await rejection(log.write(event(2)));
      expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
      expect(exitCodeFor(error.code)).toBe(6);
      expect(error.message).toContain(`cannot write the audit log ${file}: `);
      expect(error.message).toContain(`(${code}); the last line is cut`);
      expect(error.message).toContain(`cut after 10 of ${first} bytes`);
      const after = await readFile(file, 'utf8');
      const again = await rejection(log.write(event(3)));
      expect(again).toBe(error);
      expect(await readFile(file, 'utf8')).toBe(after);
      await log.close();
    },
  );

  it('fails closed when a write makes no progress (a write(2) returning 0)', async () => {
    const file = await tempFile();
    const log = await AuditLog.open([file], { openFile: limitedFile({ zeroProgress: true }) });
    const error = await rejection(log.write(event(1)));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(`${file}: no space left on device (ENOSPC)`);
    await log.close();
  });

  it('closes a torn last line before the next event, so the next event is a whole line', async () => {
    const file = await tempFile();
    await writeFile(file, '{"event":"session.start","n":1}\n{"event":"tran');
    const log = await AuditLog.open([file]);
    await log.write(event(2));
    await log.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toEqual(['{"event":"session.start","n":1}', '{"event":"tran', JSON.stringify(event(2)), '']);
  });

  it('writeAtExit appends synchronously, closes a torn line first, and skips a log that failed', async () => {
    const torn = await tempFile();
    await writeFile(torn, '{"event":"tran');
    const failing = await tempFile();
    const logs = await AuditLog.open([torn]);
    logs.writeAtExit(event(1));
    // Synchronous: the line is in the file before any await.
    expect((await readFile(torn, 'utf8')).split('\n')).toEqual(['{"event":"tran', JSON.stringify(event(1)), '']);
    await logs.close();
    const broken = await AuditLog.open([failing], { openFile: limitedFile({ capacity: 0 }) });
    await rejection(broken.write(event(2)));
    broken.writeAtExit(event(3));
    await broken.close();
    expect(await readFile(failing, 'utf8')).toBe('');
  });

  it('a torn line left by a failed write is closed by the next log that opens the file', async () => {
    const file = await tempFile();
    const log = await AuditLog.open([file], { openFile: limitedFile({ capacity: 5 }) });
    await rejection(log.write(event(1)));
    await log.close();
    const next = await AuditLog.open([file]);
    await next.write(event(2));
    await next.close();
    expect((await readFile(file, 'utf8')).split('\n')).toEqual([
      JSON.stringify(event(1)).slice(0, 5),
      JSON.stringify(event(2)),
      '',
    ]);
  });

  it('a full disk under a real descriptor is FTPSCTL_ERR_AUDIT_LOG naming the log (ENOSPC), never an untyped error', async () => {
    // /dev/full itself is a device and is now refused at open (see "what an audit log may be");
    // its write(2) error is put behind a real file's handle here.
    const file = await tempFile();
    const full = await open('/dev/full', 'w');
    const log = await AuditLog.open([file], {
      openFile: async (name) => {
        const handle = await open(name, 'a+', 0o600);
        return {
          read: (b, o, l, p) => handle.read(b, o, l, p),
          stat: () => handle.stat(),
          close: async () => {
            await handle.close();
            await full.close();
          },
          write: (b, o, l) => full.write(b, o, l),
        };
      },
    });
    const error = await rejection(log.write(event(1)));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(`cannot write the audit log ${file}: no space left on device (ENOSPC)`);
    await log.close();
  });

  it('a log that cannot be opened is FTPSCTL_ERR_AUDIT_LOG naming it', async () => {
    const file = await tempFile('plain');
    await writeFile(file, '');
    const error = await rejection(AuditLog.open([path.join(file, 'audit.jsonl')]));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(
      `cannot open the audit log ${path.join(file, 'audit.jsonl')}: not a directory (ENOTDIR)`,
    );
  });

  it('a log under a folder that can never be made (/proc) fails at once; Node 20 mkdir -p spun there for minutes', async () => {
    if (process.platform !== 'linux') return;
    const error = await rejection(AuditLog.open(['/proc/ftpsctl-no-such-folder/deeper/audit.jsonl']));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain('/proc/ftpsctl-no-such-folder/deeper/audit.jsonl');
  });
});

describe('AuditLog: what an audit log may be', () => {
  let folder: string;
  let unixServer: Server | undefined;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'ftpsctl-audit-kind-'));
  });
  afterEach(async () => {
    if (unixServer) await new Promise<void>((resolve) => unixServer!.close(() => resolve()));
    unixServer = undefined;
    await rm(folder, { recursive: true, force: true });
  });

  const refused = async (file: string, what: string): Promise<void> => {
    const error = await rejection(AuditLog.open([file]));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(exitCodeFor(error.code)).toBe(6);
    expect(error.message).toContain(`the audit log ${file} is ${what}, not a regular file`);
    expect(error.message).toContain('give the path of a file');
  };

  it('refuses a FIFO with no reader (the reported input), without blocking on it', async () => {
    const fifo = path.join(folder, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await refused(fifo, 'a FIFO (named pipe)');
  });

  it('refuses a character device (/dev/null would drop every event, /dev/full fails later)', async () => {
    await refused('/dev/null', 'a character device');
    await refused('/dev/full', 'a character device');
  });

  it('refuses a directory', async () => {
    await refused(folder, 'a directory');
  });

  it('refuses a Unix socket', async () => {
    const socket = path.join(folder, 'sock');
    unixServer = createServer();
    await new Promise<void>((resolve) => unixServer!.listen(socket, resolve));
    await refused(socket, 'a socket');
  });

  it('refuses a symbolic link to a FIFO, to a device and to a directory, naming the link', async () => {
    const fifo = path.join(folder, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await symlink(fifo, path.join(folder, 'to-fifo'));
    await symlink('/dev/null', path.join(folder, 'to-null'));
    await symlink(folder, path.join(folder, 'to-folder'));
    await refused(path.join(folder, 'to-fifo'), 'a FIFO (named pipe)');
    await refused(path.join(folder, 'to-null'), 'a character device');
    await refused(path.join(folder, 'to-folder'), 'a directory');
  });

  it('refuses a dangling symbolic link rather than creating its target', async () => {
    const target = path.join(folder, 'elsewhere', 'audit.jsonl');
    await symlink(target, path.join(folder, 'dangling'));
    const error = await rejection(AuditLog.open([path.join(folder, 'dangling')]));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(
      `the audit log ${path.join(folder, 'dangling')} is a symbolic link to a file that does not exist`,
    );
    await expect(lstat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('follows a symbolic link to a regular file and appends to the file', async () => {
    const real = path.join(folder, 'real.jsonl');
    await writeFile(real, `${JSON.stringify(event(0))}\n`);
    await symlink(real, path.join(folder, 'link.jsonl'));
    const log = await AuditLog.open([path.join(folder, 'link.jsonl')]);
    await log.write(event(1));
    await log.close();
    expect((await readFile(real, 'utf8')).split('\n')).toEqual([
      JSON.stringify(event(0)),
      JSON.stringify(event(1)),
      '',
    ]);
  });

  it('creates a missing log (and its folders) with mode 0600', async () => {
    const file = path.join(folder, 'new', 'audit.jsonl');
    const log = await AuditLog.open([file]);
    await log.write(event(1));
    await log.close();
    const info = await stat(file);
    expect(info.isFile()).toBe(true);
    expect(info.mode & 0o777).toBe(0o600 & ~process.umask());
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(event(1))}\n`);
  });

  it('keeps appending to an existing regular file', async () => {
    const file = path.join(folder, 'audit.jsonl');
    await writeFile(file, `${JSON.stringify(event(0))}\n`);
    const log = await AuditLog.open([file]);
    await log.write(event(1));
    await log.close();
    expect((await readFile(file, 'utf8')).split('\n')).toEqual([
      JSON.stringify(event(0)),
      JSON.stringify(event(1)),
      '',
    ]);
  });

  it('follows its path: after logrotate create (renamed away, a new file) the next event is in the new file', async () => {
    const file = path.join(folder, 'audit.jsonl');
    const log = await AuditLog.open([file]);
    await log.write(event(1));
    await rename(file, `${file}.1`);
    await writeFile(file, '', { mode: 0o600 });
    await log.write(event(2));
    await log.close();
    expect(await readFile(`${file}.1`, 'utf8')).toBe(`${JSON.stringify(event(1))}\n`);
    expect(await readFile(file, 'utf8')).toBe(`${JSON.stringify(event(2))}\n`);
  });

  it('fails closed when its path becomes a folder under a running session, naming it', async () => {
    const file = path.join(folder, 'audit.jsonl');
    const log = await AuditLog.open([file]);
    await log.write(event(1));
    await rm(file);
    await mkdir(file);
    const error = await rejection(log.write(event(2)));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(`the audit log ${file} is a directory, not a regular file`);
    // Every later event fails the same way: nothing is written anywhere else.
    expect((await rejection(log.write(event(3)))).code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    await log.close();
  });

  it('closes the logs already open when a later one is refused', async () => {
    const good = path.join(folder, 'good.jsonl');
    const error = await rejection(AuditLog.open([good, '/dev/null']));
    expect(error.message).toContain('the audit log /dev/null is a character device, not a regular file');
    // The good log was opened (created) and closed again: nothing was written to it.
    expect(await readFile(good, 'utf8')).toBe('');
  });
});

describe('wellFormedEvent', () => {
  it('writes U+FFFD for bytes that are not UTF-8 and keeps the exact bytes in hex, for file.path and renamed_from', () => {
    const event = {
      '@timestamp': '2026-11-30T00:00:00.000Z',
      event: { action: 'file.rename' as const, outcome: 'success' as const },
      ftpsctl: { session_id: 's', profile: 'p', resolution_sha256: 'x', policies: [], renamed_from: 'old\udce9' },
      server: { address: 'h', port: 21 },
      user: { name: 'u' },
      file: { path: 'new\udce8' },
    };
    const fixed = wellFormedEvent(event);
    expect(fixed.file).toEqual({ path: 'new\ufffd' });
    expect(fixed.ftpsctl).toMatchObject({
      renamed_from: 'old\ufffd',
      file_path_bytes: Buffer.from('new\xe8', 'latin1').toString('hex'),
      renamed_from_bytes: Buffer.from('old\xe9', 'latin1').toString('hex'),
    });
    // A well-formed event is returned as it is.
    const plain = { ...event, file: { path: 'new' }, ftpsctl: { ...event.ftpsctl, renamed_from: 'old' } };
    expect(wellFormedEvent(plain)).toBe(plain);
  });
});
