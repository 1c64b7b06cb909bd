/**
 * Waits until a freshly started server answers on its port with its own 220 greeting.
 * Checking the banner matters: if another process took the port first, we would otherwise
 * mistake its greeting for ours.
 */
import type { X509Certificate } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';

export interface GreetingProbe {
  port: number;
  /** Implicit FTPS: the greeting comes only after a TLS handshake. */
  implicitTls: boolean;
  /** Text the greeting must contain, e.g. `vsFTPd`. */
  banner: string;
  /**
   * The server's own certificate. With implicit TLS and a required client certificate the
   * probe never sees a greeting; a handshake that showed this certificate proves it is ours.
   */
  certificate: X509Certificate;
}

export type ProbeOutcome =
  | { kind: 'greeted'; greeting: string }
  | { kind: 'other-server'; greeting: string }
  | { kind: 'no-answer'; reason: string };

const FINAL_GREETING_LINE = /(^|\r\n)220 [^\r\n]*\r\n$/;

/** One attempt: connect, read the whole greeting (multi-line `220-` ... `220 `), send QUIT. */
function probeOnce(probe: GreetingProbe, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const socket: net.Socket = probe.implicitTls
      ? // Readiness only: no credentials are sent, so the certificate is not checked here.
        tls.connect({ host: '127.0.0.1', port: probe.port, servername: 'localhost', rejectUnauthorized: false })
      : net.connect({ host: '127.0.0.1', port: probe.port });
    let received = '';
    let done = false;
    let showedOurCertificate = false;
    socket.once('secureConnect', () => {
      const peer = (socket as tls.TLSSocket).getPeerX509Certificate();
      showedOurCertificate = peer?.fingerprint256 === probe.certificate.fingerprint256;
    });
    const closedEarly = (reason: string): ProbeOutcome =>
      showedOurCertificate
        ? { kind: 'greeted', greeting: `(TLS handshake with our certificate, then: ${reason})` }
        : { kind: 'no-answer', reason };
    const finish = (outcome: ProbeOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.on('error', () => undefined);
      if (outcome.kind === 'no-answer') socket.destroy();
      else socket.end('QUIT\r\n');
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ kind: 'no-answer', reason: `no greeting within ${timeoutMs} ms` }),
      timeoutMs,
    );
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      if (!FINAL_GREETING_LINE.test(received)) return;
      finish(
        received.includes(probe.banner)
          ? { kind: 'greeted', greeting: received }
          : { kind: 'other-server', greeting: received },
      );
    });
    socket.once('error', (error) => finish(closedEarly(error.message)));
    socket.once('close', () => finish(closedEarly(`connection closed after ${JSON.stringify(received)}`)));
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Retries until the greeting arrives, `gaveUp()` says the server is gone, or the deadline.
 * Returns the last outcome.
 */
export async function waitForGreeting(
  probe: GreetingProbe,
  deadline: number,
  gaveUp: () => boolean,
): Promise<ProbeOutcome> {
  let outcome: ProbeOutcome = { kind: 'no-answer', reason: 'not tried' };
  while (Date.now() < deadline && !gaveUp()) {
    outcome = await probeOnce(probe, Math.max(100, Math.min(3000, deadline - Date.now())));
    if (outcome.kind !== 'no-answer') return outcome;
    await delay(25);
  }
  return outcome;
}
