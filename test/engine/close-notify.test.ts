/**
 * Can Node 20 tell a PROT P data connection that ended with close_notify (RFC 5246 §7.2.1,
 * RFC 8446 §6.1) from one cut by a bare TCP FIN? Measured here, so the day a runtime can,
 * this fails and the engine should use it (issue 12, defect 6).
 *
 * What Node 20 (OpenSSL 3, TLSWrap) does: on close_notify, TLSWrap::ClearOut sees
 * SSL_RECEIVED_SHUTDOWN and emits EOF; on a bare FIN, TLSWrap::OnStreamRead gets UV_EOF and
 * emits the same EOF. JavaScript sees one `end`, then `close` with hadError false, in both
 * cases; the TLSWrap handle has no shutdown-state accessor (no SSL_get_shutdown binding),
 * and OpenSSL's "unexpected eof while reading" never fires because Node feeds it through a
 * memory BIO. The only difference is the alert record's ciphertext bytes in the TCP handle's
 * byte count, which can't be told from application data without the keys.
 *
 * So the engine relies on verification: a download is checked against SIZE (or HASH), and
 * one that can't be checked at the level transfer.verify demands is refused.
 */
import { connect as tcpConnect } from 'node:net';
import { connect as tlsConnect, createServer, type TLSSocket } from 'node:tls';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';

jest.setTimeout(30_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-close-notify-'));
  pki = await createTestPki(path.join(dir, 'pki'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Observed {
  events: string[];
  bytes: number;
  /** Ciphertext bytes the TCP handle read, the only trace of the alert record. */
  wireBytes: number;
}

/** A TLS server sends 50,000 bytes, then ends with close_notify (`end`) or without (`destroy`); what the client sees. */
async function observe(ending: 'end' | 'destroy', maxVersion: 'TLSv1.2' | 'TLSv1.3'): Promise<Observed> {
  const server = createServer({ cert: pki.server.cert, key: pki.server.key, maxVersion }, (socket) => {
    socket.write(Buffer.alloc(50_000, 7), () => {
      if (ending === 'destroy') socket.destroy();
      else socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<Observed>((resolve, reject) => {
      const tcp = tcpConnect(port, '127.0.0.1', () => {
        const socket: TLSSocket = tlsConnect({ socket: tcp, ca: pki.ca, servername: 'localhost', maxVersion });
        const observed: Observed = { events: [], bytes: 0, wireBytes: 0 };
        socket.on('data', (chunk: Buffer) => (observed.bytes += chunk.length));
        socket.on('error', (error) =>
          observed.events.push(`error ${(error as NodeJS.ErrnoException).code ?? error.message}`),
        );
        socket.on('end', () => {
          observed.events.push('end');
          observed.wireBytes = (tcp as unknown as { _handle?: { bytesRead?: number } })._handle?.bytesRead ?? -1;
        });
        socket.on('close', (hadError) => {
          observed.events.push(`close hadError=${hadError}`);
          resolve(observed);
        });
      });
      tcp.on('error', reject);
    });
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('close_notify versus a bare FIN on Node 20', () => {
  it.each(['TLSv1.2', 'TLSv1.3'] as const)(
    '%s: the client sees the same events and bytes either way',
    async (version) => {
      const clean = await observe('end', version);
      const cut = await observe('destroy', version);
      expect(clean.events).toEqual(['end', 'close hadError=false']);
      expect(cut.events).toEqual(clean.events);
      expect(cut.bytes).toBe(50_000);
      expect(clean.bytes).toBe(50_000);
      // The alert record is on the wire (a few dozen ciphertext bytes), and nowhere else.
      expect(clean.wireBytes).toBeGreaterThan(cut.wireBytes);
    },
  );
});
