import { describeCommand, parseCommand, takeLine } from './command-line';
import { featureLines, parseHashAlgorithm } from './features';
import { mlsxLine, unixListLine } from './listing';
import { formatReply, quotePath } from './reply';
import { TlsRecordBoundary } from './tls-record-boundary';
import { resolveVirtualPath } from './virtual-path';

describe('command lines', () => {
  it('cuts CRLF-terminated lines and refuses endless ones', () => {
    expect(takeLine(Buffer.from('NOOP\r\nPW'), 100)).toEqual({ kind: 'line', line: 'NOOP', rest: Buffer.from('PW') });
    expect(takeLine(Buffer.from('NOOP'), 100)).toEqual({ kind: 'incomplete' });
    expect(takeLine(Buffer.alloc(200, 0x41), 100).kind).toBe('too-long');
  });

  it('splits verb and argument, keeps spaces, flags bare CR/LF, masks PASS', () => {
    expect(parseCommand('retr my file.txt')).toEqual({ verb: 'RETR', argument: 'my file.txt', hasLineBreak: false });
    expect(parseCommand('RETR a\nDELE b').hasLineBreak).toBe(true);
    expect(parseCommand('\xff\xf4\xff\xf2ABOR').verb).toBe('ABOR');
    expect(describeCommand(parseCommand('PASS hunter2'))).toBe('PASS ****');
    expect(describeCommand(parseCommand('FEAT'))).toBe('FEAT');
  });
});

describe('virtual paths', () => {
  it.each([
    ['/', 'a/b/../c', '/a/c'],
    ['/docs', 'x.txt', '/docs/x.txt'],
    ['/docs', '/x.txt', '/x.txt'],
    ['/docs', '..', '/'],
    ['/docs', './', '/docs'],
  ])('resolves %s + %s to %s', (cwd, argument, expected) => {
    expect(resolveVirtualPath(cwd, argument)).toBe(expected);
  });

  it.each(['..', '/..', 'a/../../b', '..\\x', 'x\0y'])('refuses %j from /', (argument) => {
    expect(resolveVirtualPath('/', argument)).toBeUndefined();
  });
});

describe('replies and listings', () => {
  it('formats single and multi-line replies', () => {
    expect(formatReply(200, ['ok'])).toBe('200 ok\r\n');
    expect(formatReply(211, ['Features:', 'EPSV', ' MLSD', 'End'])).toBe(
      '211-Features:\r\n EPSV\r\n MLSD\r\n211 End\r\n',
    );
    expect(formatReply(500, ['a\r\nb'])).toBe('500 a b\r\n');
    expect(quotePath('/say "hi"')).toBe('"/say ""hi"""');
  });

  it('prints ls -l and MLSx lines', () => {
    const entry = {
      name: 'f.txt',
      isDirectory: false,
      size: 42,
      modified: new Date('2026-11-20T10:05:09Z'),
      permissions: 0o644,
    };
    expect(unixListLine(entry, new Date('2026-11-24T00:00:00Z'))).toBe(
      '-rw-r--r--    1 ftp      ftp                42 Nov 20 10:05 f.txt',
    );
    expect(unixListLine(entry, new Date('2027-11-24T00:00:00Z'))).toBe(
      '-rw-r--r--    1 ftp      ftp                42 Nov 20  2026 f.txt',
    );
    expect(mlsxLine({ ...entry, isDirectory: true, name: 'd' })).toBe('type=dir;size=42;modify=20261120100509; d');
  });

  it('lists features with the selected hash starred', () => {
    expect(featureLines({ allowCcc: true, hashAlgorithm: 'SHA-1' })).toEqual(
      expect.arrayContaining(['CCC', 'HASH SHA-256;SHA-1*']),
    );
    expect(parseHashAlgorithm('sha256')).toBe('SHA-256');
    expect(parseHashAlgorithm('MD5')).toBeUndefined();
  });
});

describe('TlsRecordBoundary', () => {
  const record = (type: number, body: number): Buffer =>
    Buffer.concat([Buffer.from([type, 3, 3, body >> 8, body & 0xff]), Buffer.alloc(body, 7)]);

  it('finds clear text right behind the last record, also across chunks', () => {
    const boundary = new TlsRecordBoundary();
    const bytes = Buffer.concat([record(23, 300), record(21, 19), Buffer.from('PWD\r\n')]);
    const first = boundary.split(bytes.subarray(0, 3)); // partial header held back
    expect(first.tls.length + first.clear.length).toBe(0);
    const second = boundary.split(bytes.subarray(3, 100));
    const third = boundary.split(bytes.subarray(100));
    expect(Buffer.concat([first.tls, second.tls, third.tls]).length).toBe(305 + 24);
    expect(third.clear.toString()).toBe('PWD\r\n');
    expect(boundary.split(Buffer.from('EPSV\r\n')).clear.toString()).toBe('EPSV\r\n');
  });
});
