import { splitCommand, takeCommandLines } from './command-lines';

describe('takeCommandLines', () => {
  it('returns complete lines without their line ends and keeps the unfinished rest', () => {
    const { lines, rest } = takeCommandLines(Buffer.from('USER alice\r\nPASS s\nPW'));
    expect(lines).toEqual(['USER alice', 'PASS s']);
    expect(rest.toString()).toBe('PW');
  });

  it('returns nothing for a line still on its way', () => {
    const { lines, rest } = takeCommandLines(Buffer.from('AUTH T'));
    expect(lines).toEqual([]);
    expect(rest.toString()).toBe('AUTH T');
  });

  it('decodes UTF-8 only once a line is whole, so a character split across packets survives', () => {
    const bytes = Buffer.from('RETR données\r\n');
    const first = takeCommandLines(bytes.subarray(0, 8));
    const second = takeCommandLines(Buffer.concat([first.rest, bytes.subarray(8)]));
    expect(second.lines).toEqual(['RETR données']);
  });
});

describe('splitCommand', () => {
  it('upper-cases the verb and keeps the argument as sent', () => {
    expect(splitCommand('user Alice Smith')).toEqual({ verb: 'USER', argument: 'Alice Smith' });
    expect(splitCommand('quit')).toEqual({ verb: 'QUIT', argument: '' });
  });
});
