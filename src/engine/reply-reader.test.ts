import { ReplyReader, MAX_PENDING_REPLY_BYTES } from './reply-reader';

describe('ReplyReader', () => {
  it('delivers a reply split byte by byte, then merged replies one at a time', async () => {
    const reader = new ReplyReader('h');
    const pending = reader.next(1000, 'the greeting');
    for (const ch of '220-Welcome\r\n220 ready\r\n') reader.push(ch);
    expect(await pending).toEqual({ code: 220, lines: ['220-Welcome', '220 ready'], message: 'Welcome\nready' });
    reader.push(Buffer.from('331 go on\r\n230 in\r\n'));
    expect((await reader.next(1000, 'USER')).code).toBe(331);
    expect((await reader.next(1000, 'PASS')).code).toBe(230);
    expect(reader.hasUnread()).toBe(false);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const reader = new ReplyReader('h');
    const bytes = Buffer.from('257 "/Dokumente/Bücher" ok\r\n');
    const split = bytes.indexOf(0xc3) + 1;
    reader.push(bytes.subarray(0, split));
    reader.push(bytes.subarray(split));
    expect((await reader.next(1000, 'PWD')).message).toBe('"/Dokumente/Bücher" ok');
  });

  it('turns garbage into a protocol error for the waiter', async () => {
    const reader = new ReplyReader('h');
    const pending = reader.next(1000, 'the greeting');
    reader.push('abc\r\n');
    await expect(pending).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROTOCOL' });
    await expect(reader.next(1000, 'x')).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROTOCOL' });
  });

  it('stops an endless multi-line reply at the buffer limit', async () => {
    const reader = new ReplyReader('h');
    const pending = reader.next(1000, 'FEAT');
    reader.push('211-Features\r\n');
    const line = ' X' + 'y'.repeat(1000) + '\r\n';
    for (let sent = 0; sent <= MAX_PENDING_REPLY_BYTES; sent += line.length) reader.push(line);
    await expect(pending).rejects.toMatchObject({ code: 'FTPSCTL_ERR_PROTOCOL', message: expect.stringContaining('without completing a reply') });
  });

  it('times out with the command it waited for', async () => {
    const reader = new ReplyReader('h');
    await expect(reader.next(20, 'NOOP')).rejects.toMatchObject({ code: 'FTPSCTL_ERR_TIMEOUT', message: 'h did not answer NOOP within 20 ms (network.idleTimeoutMs)' });
  });

  it('remembers unread input (what a server injects before a TLS upgrade)', () => {
    const reader = new ReplyReader('h');
    reader.push('200 injected\r\n');
    expect(reader.hasUnread()).toBe(true);
  });
});
