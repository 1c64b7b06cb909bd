import { parseEpsvReply, parsePasvReply } from './parse-passive';
import { parseFeatures, hashAlgorithms } from './parse-features';
import { parseReplies, type FtpReply } from './parse-reply';

function reply(text: string): FtpReply {
  return parseReplies(text).replies[0];
}

describe('parsePasvReply', () => {
  it('reads host and port', () => {
    expect(parsePasvReply(reply('227 Entering Passive Mode (127,0,0,1,195,80).\r\n'))).toEqual({
      host: '127.0.0.1',
      port: 50000,
    });
  });
  it('accepts a reply without parentheses', () => {
    expect(parsePasvReply(reply('227 =10,1,2,3,4,1\r\n'))).toEqual({ host: '10.1.2.3', port: 1025 });
  });
  it.each([
    ['227 Entering Passive Mode\r\n', 'PASV reply has no address: "Entering Passive Mode"'],
    ['227 (300,0,0,1,4,1)\r\n', 'PASV reply has a number above 255: 300,0,0,1,4,1'],
    ['227 (127,0,0,1,0,0)\r\n', 'PASV reply names port 0'],
    ['502 Command not implemented\r\n', 'PASV answered 502 Command not implemented'],
  ])('rejects %j', (text, problem) => {
    expect(parsePasvReply(reply(text))).toEqual({ problem });
  });
});

describe('parseEpsvReply', () => {
  it('reads the port', () => {
    expect(parseEpsvReply(reply('229 Entering Extended Passive Mode (|||6446|)\r\n'))).toEqual({ port: 6446 });
  });
  it('accepts another delimiter', () => {
    expect(parseEpsvReply(reply('229 ok (!!!2121!)\r\n'))).toEqual({ port: 2121 });
  });
  it.each([
    ['229 Entering Extended Passive Mode (|||99999|)\r\n', 'EPSV reply names port 99999'],
    ['229 Entering Extended Passive Mode\r\n', 'EPSV reply has no port: "Entering Extended Passive Mode"'],
    ['500 EPSV not understood\r\n', 'EPSV answered 500 EPSV not understood'],
  ])('rejects %j', (text, problem) => {
    expect(parseEpsvReply(reply(text))).toEqual({ problem });
  });
});

describe('parseFeatures', () => {
  it('reads extensions and their parameters', () => {
    const features = parseFeatures(
      reply(
        '211-Features:\r\n EPSV\r\n MLST modify*;perm*;size*;type*;\r\n HASH SHA-1;SHA-256*;MD5\r\n REST STREAM\r\n AUTH TLS\r\n211 End\r\n',
      ),
    );
    expect([...features.keys()]).toEqual(['EPSV', 'MLST', 'HASH', 'REST', 'AUTH']);
    expect(features.get('REST')).toBe('STREAM');
    expect(hashAlgorithms(features)).toEqual(['SHA-1', 'SHA-256', 'MD5']);
  });
  it('knows nothing when FEAT is refused', () => {
    expect(parseFeatures(reply('502 FEAT not implemented\r\n')).size).toBe(0);
  });
});
