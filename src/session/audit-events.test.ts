import type { TransferResult } from '../engine/ftps-session';
import {
  AUDIT_ACTIONS,
  remoteChangeEvent,
  sessionEndEvent,
  transferEvent,
  transferFailureEvent,
  type AuditContext,
} from './audit-events';

const context: AuditContext = {
  sessionId: 's',
  profile: 'p',
  resolutionSha256: 'r',
  policies: [],
  server: { address: 'h', port: 21 },
  user: 'u',
};
const now = new Date(Date.UTC(2026, 10, 30));

describe('audit events for failed transfers (issue 11 fault 11)', () => {
  it('a failed transfer is a transfer event with outcome failure and the error code', () => {
    const event = transferFailureEvent(
      context,
      {
        direction: 'download',
        remotePath: '/a.txt',
        error: { code: 'FTPSCTL_ERR_COMMAND_FAILED', message: 'h refused RETR: 550 x' },
        durationMs: 2,
      },
      now,
    );
    expect(event).toMatchObject({
      event: { action: 'transfer', outcome: 'failure', duration: 2_000_000 },
      file: { path: '/a.txt' },
      error: { code: 'FTPSCTL_ERR_COMMAND_FAILED' },
      ftpsctl: { direction: 'download' },
    });
  });

  it('an unreadable listing line carries the line', () => {
    const event = transferFailureEvent(
      context,
      {
        direction: 'download',
        remotePath: 'in',
        error: { code: 'FTPSCTL_ERR_PROTOCOL', message: 'm' },
        listingLine: 'odd line',
      },
      now,
    );
    expect(event.ftpsctl.listing_line).toBe('odd line');
  });

  it('session.end says failure when any transfer failed, even when the command ended normally', () => {
    const event = sessionEndEvent(
      context,
      { durationMs: 1, failedTransfers: { count: 2, firstCode: 'FTPSCTL_ERR_COMMAND_FAILED' } },
      now,
    );
    expect(event).toMatchObject({
      event: { outcome: 'failure' },
      error: { code: 'FTPSCTL_ERR_COMMAND_FAILED', message: '2 transfers failed' },
      ftpsctl: { failed_transfers: 2 },
    });
    expect(
      sessionEndEvent(context, { durationMs: 1, failedTransfers: { count: 0, firstCode: '' } }, now).event.outcome,
    ).toBe('success');
    expect(
      sessionEndEvent(
        context,
        {
          durationMs: 1,
          error: { code: 'FTPSCTL_ERR_CLOSED', message: 'gone' },
          failedTransfers: { count: 1, firstCode: 'FTPSCTL_ERR_VERIFY' },
        },
        now,
      ).error,
    ).toEqual({ code: 'FTPSCTL_ERR_CLOSED', message: 'gone' });
  });
});

describe('the SHA-256 of a resumed transfer says which bytes it covers', () => {
  const base: TransferResult = {
    direction: 'download',
    remotePath: '/big.iso',
    bytes: 600,
    offset: 4_294_967_296,
    durationMs: 1,
    verifiedBy: 'size',
    encrypted: true,
    sessionResumed: true,
  };

  it('a hash of only the resumed tail is not the file hash: it names its byte range', () => {
    const event = transferEvent(
      context,
      { ...base, sha256: 'ab', sha256Range: { start: 4_294_967_296, end: 4_294_967_896 } },
      now,
    );
    expect(event.file).toEqual({ path: '/big.iso', size: 4_294_967_896 });
    expect(event.ftpsctl.transferred_sha256).toEqual({ sha256: 'ab', start: 4_294_967_296, end: 4_294_967_896 });
  });

  it('a whole-file hash is file.hash.sha256', () => {
    const event = transferEvent(context, { ...base, offset: 0, sha256: 'cd' }, now);
    expect(event.file).toEqual({ path: '/big.iso', size: 600, hash: { sha256: 'cd' } });
    expect(event.ftpsctl.transferred_sha256).toBeUndefined();
  });
});

describe('remote changes (DELE, RNFR/RNTO, MKD, RMD) are audit events with ECS file fields', () => {
  it.each([
    ['file.delete', 'deletion', 'file'],
    ['directory.create', 'creation', 'dir'],
    ['directory.delete', 'deletion', 'dir'],
  ] as const)('%s: event.category file, event.type %s, file.type %s', (action, type, fileType) => {
    const event = remoteChangeEvent(context, { action, path: 'in/x', durationMs: 3 }, now);
    expect(event).toMatchObject({
      event: { action, outcome: 'success', duration: 3_000_000, category: ['file'], type: [type] },
      file: { path: 'in/x', type: fileType },
      ftpsctl: { session_id: 's', profile: 'p', resolution_sha256: 'r' },
    });
    expect(event).not.toHaveProperty('error');
    expect(AUDIT_ACTIONS).toContain(action);
  });

  it('a rename names the new path in file.path and the old one in ftpsctl.renamed_from', () => {
    const event = remoteChangeEvent(context, { action: 'file.rename', path: 'b', from: 'a', durationMs: 0 }, now);
    expect(event).toMatchObject({ event: { type: ['change'] }, file: { path: 'b' }, ftpsctl: { renamed_from: 'a' } });
  });

  it('a refused change has outcome failure and the error', () => {
    const error = { code: 'FTPSCTL_ERR_COMMAND_FAILED', message: 'h refused DELE x: 550 No such file' };
    const event = remoteChangeEvent(context, { action: 'file.delete', path: 'x', durationMs: 1, error }, now);
    expect(event).toMatchObject({ event: { outcome: 'failure' }, error });
  });
});

describe('what a change event says when the answer is unknown or the thing renamed is a folder', () => {
  it('no reply: outcome unknown (the server may have made the change), with the error', () => {
    const error = { code: 'FTPSCTL_ERR_TIMEOUT', message: 'no reply to DELE' };
    const event = remoteChangeEvent(
      context,
      { action: 'file.delete', path: 'x', durationMs: 1, error, outcome: 'unknown' },
      now,
    );
    expect(event).toMatchObject({ event: { outcome: 'unknown' }, error });
  });

  it('a rename says file.type only when it is known (dir for a folder), never a guess', () => {
    const folder = remoteChangeEvent(
      context,
      { action: 'file.rename', path: 'b', from: 'a', durationMs: 0, fileType: 'dir' },
      now,
    );
    expect(folder.file).toEqual({ path: 'b', type: 'dir' });
    const unknown = remoteChangeEvent(context, { action: 'file.rename', path: 'b', from: 'a', durationMs: 0 }, now);
    expect(unknown.file).toEqual({ path: 'b' });
  });
});
