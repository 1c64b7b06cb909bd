/**
 * Readiness of the HTTPS CONNECT proxy: a TLS handshake must show our certificate, and a
 * CONNECT without credentials must get squid's 407. Both together rule out another
 * process that took the port between our pick and squid's bind.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { ProxyProbe, ProxyProbeOutcome } from './proxy-probe';

const END_OF_HEADERS = '\r\n\r\n';

/** Port 9 (discard): squid refuses it before connecting anywhere, as no credentials are sent. Marks the probe's log line. */
export const SQUID_PROBE_TARGET = '127.0.0.1:9';

export function squidReadinessProbe(certificate: X509Certificate): ProxyProbe {
  return (port, timeoutMs) =>
    new Promise<ProxyProbeOutcome>((resolve) => {
      // Readiness only, no credentials sent: the certificate is compared, not verified.
      const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false });
      let received = '';
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
      socket.once('secureConnect', () => {
        const peer = socket.getPeerX509Certificate();
        if (peer?.fingerprint256 !== certificate.fingerprint256) {
          finish({ kind: 'other-server', detail: `TLS certificate ${peer?.subject ?? '(none)'} is not ours` });
          return;
        }
        socket.write(`CONNECT ${SQUID_PROBE_TARGET} HTTP/1.1\r\nHost: ${SQUID_PROBE_TARGET}\r\n\r\n`);
      });
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        received += chunk;
        const end = received.indexOf(END_OF_HEADERS);
        if (end === -1) return;
        const head = received.slice(0, end);
        const isSquid407 = /^HTTP\/1\.1 407 /.test(head) && /^Server: squid\//im.test(head);
        finish(isSquid407 ? { kind: 'ready' } : { kind: 'other-server', detail: head.split('\r\n')[0] ?? '' });
      });
      socket.once('error', (error) => finish({ kind: 'no-answer', reason: error.message }));
      socket.once('close', () =>
        finish({ kind: 'no-answer', reason: `connection closed after ${JSON.stringify(received)}` }),
      );
    });
}
