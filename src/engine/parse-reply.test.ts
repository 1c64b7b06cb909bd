import { MAX_REPLY_LINE, parseReplies } from './parse-reply';

describe('parseReplies', () => {
  it('parses a single-line reply and keeps nothing back', () => {
    expect(parseReplies('220 Service ready\r\n')).toEqual({ replies: [{ code: 220, lines: ['220 Service ready'], message: 'Service ready' }], rest: '' });
  });

  it('parses a multi-line reply (RFC 959 4.2)', () => {
    const { replies, rest } = parseReplies('211-Features:\r\n EPSV\r\n MLST size*;modify*;\r\n PROT\r\n211 End\r\n');
    expect(rest).toBe('');
    expect(replies).toEqual([{ code: 211, lines: ['211-Features:', ' EPSV', ' MLST size*;modify*;', ' PROT', '211 End'], message: 'Features:\nEPSV\nMLST size*;modify*;\nPROT\nEnd' }]);
  });

  it('ends a multi-line reply at the first line with its code and a space', () => {
    const { replies } = parseReplies('211-a\r\n211-b\r\n211 c\r\n');
    expect(replies.map((r) => r.lines)).toEqual([['211-a', '211-b', '211 c']]);
  });

  it('keeps a middle line that starts with another code inside the reply', () => {
    const { replies } = parseReplies('230-Welcome\r\n150 is not a new reply here\r\n230 Logged in\r\n');
    expect(replies).toEqual([{ code: 230, lines: ['230-Welcome', '150 is not a new reply here', '230 Logged in'], message: 'Welcome\n150 is not a new reply here\nLogged in' }]);
  });

  it('returns the unfinished part of a reply split across packets', () => {
    const first = parseReplies('211-Features:\r\n EPS');
    expect(first).toEqual({ replies: [], rest: '211-Features:\r\n EPS' });
    const second = parseReplies(`${first.rest}V\r\n211 End\r\n`);
    expect(second.replies.map((r) => r.lines)).toEqual([['211-Features:', ' EPSV', '211 End']]);
    expect(second.rest).toBe('');
  });

  it('parses several replies that arrived in one packet, in order', () => {
    const { replies, rest } = parseReplies('150 Opening\r\n226 Done\r\n2');
    expect(replies.map((r) => r.code)).toEqual([150, 226]);
    expect(rest).toBe('2');
  });

  it('accepts bare LF line ends and UTF-8 text', () => {
    expect(parseReplies('257 "/données/报告" created\n').replies[0].message).toBe('"/données/报告" created');
  });

  it('reports garbage as a problem, with the replies parsed before it', () => {
    const parsed = parseReplies('200 OK\r\nHTTP/1.1 400 Bad Request\r\n');
    expect(parsed.replies.map((r) => r.code)).toEqual([200]);
    expect(parsed.problem).toBe('malformed reply line "HTTP/1.1 400 Bad Request": a reply starts with a three-digit code');
  });

  it('reports a code outside 100-599', () => {
    expect(parseReplies('999 what\r\n').problem).toBe('reply code 999 is outside 100-599');
  });

  it('reports an endless line instead of buffering it forever', () => {
    expect(parseReplies(`220 ${'x'.repeat(MAX_REPLY_LINE)}`).problem).toBe(`reply line longer than ${MAX_REPLY_LINE} bytes without a line end`);
  });

  it('reports an endless multi-line reply', () => {
    const text = `211-start\r\n${' line\r\n'.repeat(10_001)}`;
    expect(parseReplies(text).problem).toBe('multi-line reply 211 longer than 10000 lines');
  });
});
