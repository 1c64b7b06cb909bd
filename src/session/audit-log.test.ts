import { mkdtemp, open, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FtpsctlError } from '../errors';
import { exitCodeFor } from '../errors/exit-codes';
import type { AuditEvent } from './audit-events';
import { AuditLog, type AuditFileHandle } from './audit-log';

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
      read: (b, o, l, p) => handle.read(b, o, l, p),
      stat: () => handle.stat(),
      close: () => handle.close(),
      async write(buffer, offset, length) {
        if (options.zeroProgress) return { bytesWritten: 0 };
        const room = (options.capacity ?? Infinity) - total;
        if (room <= 0) throw Object.assign(new Error(`${options.code ?? 'ENOSPC'}: simulated`), { code: options.code ?? 'ENOSPC' });
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

  it.each(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG'])('fails closed on %s in the middle of a line, naming the file; later writes fail the same way and append nothing', async (code) => {
    const file = await tempFile();
    const first = Buffer.byteLength(`${JSON.stringify(event(1))}\n`);
    const log = await AuditLog.open([file], { openFile: limitedFile({ capacity: first + 10, code }) });
    await log.write(event(1));
    const error = await rejection(log.write(event(2)));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(exitCodeFor(error.code)).toBe(6);
    expect(error.message).toContain(`cannot write the audit log ${file} (${code}`);
    expect(error.message).toContain(`cut after 10 of ${first} bytes`);
    const after = await readFile(file, 'utf8');
    const again = await rejection(log.write(event(3)));
    expect(again).toBe(error);
    expect(await readFile(file, 'utf8')).toBe(after);
    await log.close();
  });

  it('fails closed when a write makes no progress (a write(2) returning 0)', async () => {
    const file = await tempFile();
    const log = await AuditLog.open([file], { openFile: limitedFile({ zeroProgress: true }) });
    const error = await rejection(log.write(event(1)));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(`${file} (ENOSPC`);
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

  it('a torn line left by a failed write is closed by the next log that opens the file', async () => {
    const file = await tempFile();
    const log = await AuditLog.open([file], { openFile: limitedFile({ capacity: 5 }) });
    await rejection(log.write(event(1)));
    await log.close();
    const next = await AuditLog.open([file]);
    await next.write(event(2));
    await next.close();
    expect((await readFile(file, 'utf8')).split('\n')).toEqual([JSON.stringify(event(1)).slice(0, 5), JSON.stringify(event(2)), '']);
  });

  it('a real full device (/dev/full) is FTPSCTL_ERR_AUDIT_LOG naming it, never an untyped error', async () => {
    const log = await AuditLog.open(['/dev/full']);
    const error = await rejection(log.write(event(1)));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain('cannot write the audit log /dev/full (ENOSPC: no space left on the device)');
    await log.close();
  });

  it('a log that cannot be opened is FTPSCTL_ERR_AUDIT_LOG naming it', async () => {
    const file = await tempFile('plain');
    await writeFile(file, '');
    const error = await rejection(AuditLog.open([path.join(file, 'audit.jsonl')]));
    expect(error.code).toBe('FTPSCTL_ERR_AUDIT_LOG');
    expect(error.message).toContain(`cannot open the audit log ${path.join(file, 'audit.jsonl')} (EEXIST: a part of the path is a file`);
  });
});
