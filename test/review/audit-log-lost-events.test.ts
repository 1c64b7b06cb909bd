/**
 * Review (auditor's view): events a running session writes and nobody can ever read.
 * src/session/audit-log.ts promises fail closed ("a session that must be audited does not go
 * on unaudited") and "one bad line never swallows the next event"; these hold for a full disk
 * (ENOSPC) and `ulimit -f` (EFBIG), but not for:
 *
 * - The log's folder removed under a running session (`rm -r /var/log/ftpsctl`, a cleanup
 *   job): the log keeps writing to the unlinked inode; every later event (a failed
 *   session.end here) resolves as written and is gone. No FTPSCTL_ERR_AUDIT_LOG, no file.
 * - logrotate `create` with `compress` (no `delaycompress`): audit.jsonl is renamed to
 *   audit.jsonl.1, a new audit.jsonl is created, and audit.jsonl.1 is compressed and removed
 *   at once; the running session's later events go to the removed file: lost, silently.
 * - A line torn by another writer after this log was opened (a second session on the same
 *   log whose write was cut by ENOSPC, then space came back): the "\n" that closes a torn
 *   line is written only when the torn line was there at open, so this session's next event
 *   is glued to the fragment and no reader can parse it.
 */
import { appendFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AuditLog } from '../../src/session/audit-log';
import { sessionEndEvent, sessionStartEvent, type AuditContext } from '../../src/session/audit-events';

const context: AuditContext = {
  sessionId: 'lost-events-1',
  profile: 'payroll',
  resolutionSha256: 'ab'.repeat(32),
  policies: [],
  managed: true,
  server: { address: '127.0.0.1', port: 21 },
  user: 'alice',
};
const failedEnd = sessionEndEvent(context, {
  durationMs: 5,
  error: { code: 'FTPSCTL_ERR_TRANSFER', message: 'the download of outbox/a.csv failed' },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-audit-lost-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The events of this session found in `file`, when it exists. */
function sessionEnds(file: string): unknown[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"session.end"'))
    .map((l) => {
      try {
        return JSON.parse(l) as unknown;
      } catch {
        return undefined;
      }
    })
    .filter((e) => e !== undefined);
}

/** Either the event can be read at the log's path, or the write failed closed. */
async function writtenOrRefused(log: AuditLog, file: string): Promise<{ readable: boolean; refused?: string }> {
  const refused = await log.write(failedEnd).then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );
  await log.close().catch(() => undefined);
  return { readable: sessionEnds(file).length === 1, ...(refused ? { refused } : {}) };
}

describe('an audit log whose file goes away under a running session', () => {
  it('folder removed: the next event reaches the log path again, or the write fails FTPSCTL_ERR_AUDIT_LOG', async () => {
    const file = path.join(dir, 'logs', 'audit.jsonl');
    const log = await AuditLog.open([file]);
    await log.write(sessionStartEvent(context));
    rmSync(path.join(dir, 'logs'), { recursive: true });
    const result = await writtenOrRefused(log, file);
    expect(result.readable || result.refused === 'FTPSCTL_ERR_AUDIT_LOG').toBe(true);
  });

  it('logrotate create + compress: the next event is in the new audit.jsonl, or the write fails FTPSCTL_ERR_AUDIT_LOG', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = await AuditLog.open([file]);
    await log.write(sessionStartEvent(context));
    // logrotate: rename, create (mode 0600), then compress: the .1 file is read and removed.
    renameSync(file, `${file}.1`);
    writeFileSync(file, '', { mode: 0o600 });
    rmSync(`${file}.1`);
    const result = await writtenOrRefused(log, file);
    expect(result.readable || result.refused === 'FTPSCTL_ERR_AUDIT_LOG').toBe(true);
  });
});

describe('a line torn by another writer after this log was opened', () => {
  it('does not swallow this session’s next event', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const log = await AuditLog.open([file]);
    await log.write(sessionStartEvent(context));
    // Another session on the same log: its write was cut mid-line (ENOSPC), then space came back.
    appendFileSync(file, '{"@timestamp":"2026-11-25T09:00:00.000Z",');
    await log.write(failedEnd);
    await log.close();
    expect(sessionEnds(file)).toHaveLength(1);
  });
});
