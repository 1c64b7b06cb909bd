import { nameCodec } from './name-codec';
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
    await expect(pending).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_PROTOCOL',
      message: expect.stringContaining('without completing a reply'),
    });
  });

  it('times out with the command it waited for', async () => {
    const reader = new ReplyReader('h');
    await expect(reader.next(20, 'NOOP')).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_TIMEOUT',
      message: 'h did not answer NOOP within 20 ms (network.idleTimeoutMs)',
    });
  });

  it('remembers unread input (what a server injects before a TLS upgrade)', () => {
    const reader = new ReplyReader('h');
    reader.push('200 injected\r\n');
    expect(reader.hasUnread()).toBe(true);
  });

  it('never says "did not answer" about a reply that began: it names what arrived (issue 11 fault 3)', async () => {
    const reader = new ReplyReader('h');
    reader.push('553-\r\n553- Directory excluded (precheck).\r\n150 Openi');
    await expect(reader.next(20, 'STOR')).rejects.toMatchObject({
      code: 'FTPSCTL_ERR_TIMEOUT',
      message: expect.stringMatching(
        /^h began a reply to STOR and did not finish it within 20 ms \(network\.idleTimeoutMs\); it sent "553- \| 553- Directory excluded \(precheck\)\. \| 150 Openi"/,
      ),
    });
  });

  it('takes the glftpd reply whose last line has another code at once', async () => {
    const reader = new ReplyReader('h');
    const pending = reader.next(60_000, 'STOR');
    reader.push('553-\r\n553- Directory excluded (precheck).\r\n150 Opening BINARY mode data connection\r\n');
    await expect(pending).resolves.toMatchObject({ code: 150, openedWith: 553 });
  });

  it('decodes names in the session encoding: latin1 bytes, and stray bytes kept under utf8', async () => {
    const latin1 = new ReplyReader('h', nameCodec('latin1'));
    latin1.push(Buffer.from('257 "/caf\xe9" ok\r\n', 'latin1'));
    expect((await latin1.next(1000, 'PWD')).message).toBe('"/café" ok');
    const utf8 = new ReplyReader('h');
    utf8.push(Buffer.from('257 "/caf\xe9" ok\r\n', 'latin1'));
    expect((await utf8.next(1000, 'PWD')).message).toBe('"/caf\udce9" ok');
  });
});
