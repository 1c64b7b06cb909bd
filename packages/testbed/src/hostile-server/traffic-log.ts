/**
 * What a hostile server received, in arrival order: control bytes (before TLS as sent,
 * inside TLS decrypted), the commands parsed from them, data-connection bytes, and every
 * TLS handshake. Tests read it to prove what a client did and did not send.
 */

import type { ReceivedCommand } from './hostile-script';

export interface ControlReceipt {
  connection: number;
  tlsUp: boolean;
  text: string;
}

export interface DataReceipt {
  /** Control connection whose passive listener accepted it. */
  connection: number;
  /** Data connection, counted from 1 across the server. */
  dataConnection: number;
  tlsUp: boolean;
  bytes: Buffer;
}

export interface HandshakeRecord {
  connection: number;
  channel: 'control' | 'data';
  /** Data connection number for `data`, otherwise undefined. */
  dataConnection?: number;
  /**
   * The server's side of the handshake completed. A client that checks the certificate
   * after the handshake (as Node does) and then hangs up still shows `true` here; what it
   * sent afterwards is what tells.
   */
  secure: boolean;
  resumed: boolean;
  /** SNI the client sent, when the server saw one (not on a TLS 1.2 resumption). */
  servername: string | undefined;
  protocol: string | undefined;
  error: string | undefined;
}

interface Chunk {
  connection: number;
  tlsUp: boolean;
  bytes: Buffer[];
}

export class TrafficLog {
  private readonly controlChunks: Chunk[] = [];
  private readonly dataChunks: Array<Chunk & { dataConnection: number }> = [];
  private readonly commandLog: ReceivedCommand[] = [];
  private readonly handshakeLog: HandshakeRecord[] = [];
  private readonly problems: string[] = [];

  control(connection: number, tlsUp: boolean, bytes: Buffer): void {
    const last = this.controlChunks.at(-1);
    // Adjacent chunks of one connection and TLS state are one receipt: how TCP cut them is noise.
    if (last && last.connection === connection && last.tlsUp === tlsUp) last.bytes.push(bytes);
    else this.controlChunks.push({ connection, tlsUp, bytes: [bytes] });
  }

  data(connection: number, dataConnection: number, tlsUp: boolean, bytes: Buffer): void {
    const last = this.dataChunks.at(-1);
    if (last && last.dataConnection === dataConnection) last.bytes.push(bytes);
    else this.dataChunks.push({ connection, dataConnection, tlsUp, bytes: [bytes] });
  }

  command(command: ReceivedCommand): void {
    this.commandLog.push(command);
  }

  handshake(record: HandshakeRecord): void {
    this.handshakeLog.push(record);
  }

  problem(message: string): void {
    this.problems.push(message);
  }

  received(): ControlReceipt[] {
    return this.controlChunks.map(({ connection, tlsUp, bytes }) => ({
      connection,
      tlsUp,
      text: Buffer.concat(bytes).toString('utf8'),
    }));
  }

  /** Every control byte received, in order, exactly as it arrived (inside TLS: decrypted). */
  controlBytes(): Buffer {
    return Buffer.concat(this.controlChunks.flatMap((chunk) => chunk.bytes));
  }

  commands(): ReceivedCommand[] {
    return this.commandLog.map((command) => ({ ...command }));
  }

  dataReceived(): DataReceipt[] {
    return this.dataChunks.map(({ connection, dataConnection, tlsUp, bytes }) => ({
      connection,
      dataConnection,
      tlsUp,
      bytes: Buffer.concat(bytes),
    }));
  }

  handshakes(): HandshakeRecord[] {
    return this.handshakeLog.map((record) => ({ ...record }));
  }

  scriptProblems(): string[] {
    return [...this.problems];
  }
}
