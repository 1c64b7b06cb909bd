import { MAX_REPLY_LINE, parseReplies } from './parse-reply';

describe('parseReplies', () => {
  it('parses a single-line reply and keeps nothing back', () => {
    expect(parseReplies('220 Service ready\r\n')).toEqual({
      replies: [{ code: 220, lines: ['220 Service ready'], message: 'Service ready' }],
      rest: '',
    });
  });

  it('parses a multi-line reply (RFC 959 4.2)', () => {
    const { replies, rest } = parseReplies('211-Features:\r\n EPSV\r\n MLST size*;modify*;\r\n PROT\r\n211 End\r\n');
    expect(rest).toBe('');
    expect(replies).toEqual([
      {
        code: 211,
        lines: ['211-Features:', ' EPSV', ' MLST size*;modify*;', ' PROT', '211 End'],
        message: 'Features:\nEPSV\nMLST size*;modify*;\nPROT\nEnd',
      },
    ]);
  });

  it('ends a multi-line reply at the first line with its code and a space', () => {
    const { replies } = parseReplies('211-a\r\n211-b\r\n211 c\r\n');
    expect(replies.map((r) => r.lines)).toEqual([['211-a', '211-b', '211 c']]);
  });

  it('keeps a middle line that starts with another code and a hyphen, or is indented, inside the reply', () => {
    const { replies } = parseReplies(
      '230-Welcome\r\n150-is not a new reply here\r\n 150 nor is this\r\n230 Logged in\r\n',
    );
    expect(replies).toEqual([
      {
        code: 230,
        lines: ['230-Welcome', '150-is not a new reply here', ' 150 nor is this', '230 Logged in'],
        message: 'Welcome\n150-is not a new reply here\n150 nor is this\nLogged in',
      },
    ]);
  });

  describe('a multi-line reply whose last line carries another code (glftpd, issue 11 fault 3)', () => {
    it('ends at that line and takes its code: the glftpd STOR precheck as reported', () => {
      const parsed = parseReplies(
        '553-\r\n553- Directory excluded (precheck).\r\n150 Opening BINARY mode data connection\r\n',
      );
      expect(parsed).toEqual({
        replies: [
          {
            code: 150,
            openedWith: 553,
            lines: ['553-', '553- Directory excluded (precheck).', '150 Opening BINARY mode data connection'],
            message: '\n553- Directory excluded (precheck).\nOpening BINARY mode data connection',
          },
        ],
        rest: '',
      });
    });

    it.each([
      ['a completion after a 1xx text', '150-Here it comes\r\n226 Done\r\n', 226, 150],
      ['a refusal after a 2xx text', '226-quota check\r\n550 Over quota\r\n', 550, 226],
      ['bare LF and one opening line', '553-precheck\n150 Ok\n', 150, 553],
    ])('%s', (_name, text, code, openedWith) => {
      const { replies, rest } = parseReplies(text);
      expect(rest).toBe('');
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatchObject({ code, openedWith });
    });

    it('decides on the line, not on timing: split byte by byte, the reply completes with the line that ends it', () => {
      const text = '553-\r\n553- Directory excluded (precheck).\r\n150 Opening\r\n226 Done\r\n';
      let rest = '';
      const codes: number[] = [];
      for (const char of text) {
        const parsed = parseReplies(rest + char);
        rest = parsed.rest;
        codes.push(...parsed.replies.map((r) => r.code));
      }
      expect(codes).toEqual([150, 226]);
      expect(rest).toBe('');
    });

    it('still reports a code outside 100-599 on that line', () => {
      expect(parseReplies('553-x\r\n999 y\r\n').problem).toBe('reply code 999 is outside 100-599');
    });
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
    expect(parsed.problem).toBe(
      'malformed reply line "HTTP/1.1 400 Bad Request": a reply starts with a three-digit code',
    );
  });

  it('reports a code outside 100-599', () => {
    expect(parseReplies('999 what\r\n').problem).toBe('reply code 999 is outside 100-599');
  });

  it('reports an endless line instead of buffering it forever', () => {
    expect(parseReplies(`220 ${'x'.repeat(MAX_REPLY_LINE)}`).problem).toBe(
      `reply line longer than ${MAX_REPLY_LINE} bytes without a line end`,
    );
  });

  it('reports an endless multi-line reply', () => {
    const text = `211-start\r\n${' line\r\n'.repeat(10_001)}`;
    expect(parseReplies(text).problem).toBe('multi-line reply 211 longer than 10000 lines');
  });
});

// A reply may quote a file name, and U+2028/U+2029 are legal in names: a regex `.` stops at
// them, which called a 257 for such a folder malformed (found in review, 2026-11-30).
describe('line and paragraph separators inside a reply', () => {
  it.each(['\u2028', '\u2029', '\u0085'])(
    'a 257 quoting a name with U+%s is one reply, not a protocol error',
    (sep) => {
      const parsed = parseReplies(`257 "line${sep}separator" created\r\n`);
      expect(parsed.problem).toBeUndefined();
      expect(parsed.replies).toEqual([
        expect.objectContaining({ code: 257, message: `"line${sep}separator" created` }),
      ]);
    },
  );

  it('a multi-line reply with such a name in its first and last lines', () => {
    const parsed = parseReplies('211-a\u2028b\r\n x\r\n211 end\u2029\r\n');
    expect(parsed.problem).toBeUndefined();
    expect(parsed.replies).toHaveLength(1);
  });
});
