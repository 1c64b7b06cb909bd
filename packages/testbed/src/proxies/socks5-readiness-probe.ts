/**
 * Readiness of the SOCKS5 proxy: it must choose username/password (RFC 1929, method 0x02)
 * and then refuse a login that cannot exist, which proves its PAM service answers too.
 * The probe's user name marks its log lines, so `connectionsSeen()` leaves them out.
 */
import net from 'node:net';
import type { ProxyProbe, ProxyProbeOutcome } from './proxy-probe';

export const SOCKS5_PROBE_USER = 'ftpsctl-readiness-probe';

const OFFER_USERNAME_PASSWORD = Buffer.from([0x05, 0x01, 0x02]);
const CHOSE_USERNAME_PASSWORD = Buffer.from([0x05, 0x02]);

/** RFC 1929 request: version 1, user, password (a throwaway that no password file holds). */
function probeLogin(): Buffer {
  const user = Buffer.from(SOCKS5_PROBE_USER);
  const password = Buffer.from('probe');
  return Buffer.concat([Buffer.from([0x01, user.length]), user, Buffer.from([password.length]), password]);
}

export const socks5ReadinessProbe: ProxyProbe = (port, timeoutMs) =>
  new Promise<ProxyProbeOutcome>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (outcome: ProxyProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ kind: 'no-answer', reason: `no answer within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.once('connect', () => socket.write(OFFER_USERNAME_PASSWORD));
    socket.on('data', (chunk: Buffer) => {
      const before = received.length;
      received = Buffer.concat([received, chunk]);
      if (before < 2 && received.length >= 2) {
        if (!received.subarray(0, 2).equals(CHOSE_USERNAME_PASSWORD)) {
          finish({ kind: 'other-server', detail: `answered ${received.toString('hex')} to a SOCKS5 method offer` });
          return;
        }
        socket.write(probeLogin());
      }
      if (received.length < 4) return;
      // Status byte non-zero: the proxy checked the login and refused it, as it must.
      const status = received[3];
      finish(
        received[2] === 0x01 && status !== 0x00
          ? { kind: 'ready' }
          : { kind: 'other-server', detail: `answered ${received.toString('hex')} to a login that cannot exist` },
      );
    });
    socket.once('error', (error) => finish({ kind: 'no-answer', reason: error.message }));
    socket.once('close', () =>
      finish({ kind: 'no-answer', reason: `connection closed after ${received.length} bytes` }),
    );
  });
