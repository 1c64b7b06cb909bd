/** Checks a test's chosen proxy login before it is written into a password file. */
import { SOCKS5_PROBE_USER } from './socks5-readiness-probe';

export function checkProxyLogin(user: string, password: string): void {
  // ':' separates user and hash in the password files; RFC 1929 caps both at 255 bytes.
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(user))
    throw new Error(`proxy user ${JSON.stringify(user)}: use 1-64 of A-Z a-z 0-9 . _ -`);
  if (user === SOCKS5_PROBE_USER) throw new Error(`proxy user ${user} is reserved for the readiness probe`);
  if (password.length === 0 || Buffer.byteLength(password) > 255 || /[\r\n\0]/.test(password)) {
    throw new Error('proxy password: 1-255 bytes, no line breaks or NUL');
  }
}
