/**
 * A data-connection client for the hostile server's tests. With TLS it runs over a tap that
 * keeps every byte from the wire, so a test can see the TLS records — in TLS 1.2 a
 * close_notify is a visible alert record (type 21) — which Node's TLS socket does not report.
 */

import { connect as connectTcp, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { connect as connectTls, type ConnectionOptions, type TLSSocket } from 'node:tls';

export interface TlsRecordHeader {
  type: number;
  length: number;
}

export const TLS_ALERT_RECORD = 21;

export interface DataConnection {
  socket: Socket;
  /** Resolves with everything received once the connection closed. */
  received: Promise<Buffer>;
  /** TLS record headers seen on the wire so far (TLS only). */
  wireRecords(): TlsRecordHeader[];
  /** Bytes received so far. */
  byteCount(): number;
}

function recordHeaders(wire: Buffer): TlsRecordHeader[] {
  const headers: TlsRecordHeader[] = [];
  for (let offset = 0; offset + 5 <= wire.length; offset += 5 + wire.readUInt16BE(offset + 3)) {
    headers.push({ type: wire[offset], length: wire.readUInt16BE(offset + 3) });
  }
  return headers;
}

function collect(socket: Socket): { received: Promise<Buffer>; byteCount: () => number } {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => undefined);
  const received = new Promise<Buffer>((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
  return { received, byteCount: () => chunks.reduce((sum, chunk) => sum + chunk.length, 0) };
}

export function openDataConnection(port: number, tls?: ConnectionOptions): Promise<DataConnection> {
  return new Promise((resolve, reject) => {
    const raw = connectTcp(port, '127.0.0.1');
    if (!tls) {
      raw.once('error', reject);
      raw.once('connect', () => resolve({ socket: raw, ...collect(raw), wireRecords: () => [] }));
      return;
    }
    const wire: Buffer[] = [];
    const tap = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, done) {
        raw.write(chunk, done);
      },
      final(done) {
        raw.end();
        done();
      },
      destroy(error, done) {
        raw.destroy();
        done(error);
      },
    });
    raw.on('data', (chunk: Buffer) => {
      wire.push(chunk);
      tap.push(chunk);
    });
    raw.on('end', () => tap.push(null));
    raw.on('error', () => undefined);
    raw.once('close', () => tap.destroy());
    const socket: TLSSocket = connectTls({ ...tls, socket: tap });
    const collected = collect(socket);
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      socket.off('error', reject);
      resolve({ socket, ...collected, wireRecords: () => recordHeaders(Buffer.concat(wire)) });
    });
  });
}
