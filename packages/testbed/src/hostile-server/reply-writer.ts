/**
 * Writes replies to the control connection the way the script's delivery says: whole,
 * byte by byte, or held and merged. The socket is looked up on every write because AUTH TLS
 * swaps it for a TLS socket.
 */

import type { Socket } from 'node:net';
import type { ReplyDelivery, ReplyText } from './hostile-script';
import type { ServerLifetime } from './server-lifetime';

export function replyBytes(reply: ReplyText): Buffer {
  if (typeof reply !== 'string') return Buffer.from(reply.raw);
  return Buffer.from(reply.endsWith('\n') ? reply : `${reply}\r\n`, 'utf8');
}

/** Resolves once the bytes were handed to the kernel, or at once when the socket is gone. */
export function writeFully(socket: Socket, bytes: Buffer): Promise<void> {
  if (socket.destroyed || !socket.writable) return Promise.resolve();
  return new Promise((resolve) => socket.write(bytes, () => resolve()));
}

export class ReplyWriter {
  private held: Buffer[] = [];

  constructor(
    private readonly socket: () => Socket,
    private readonly delivery: ReplyDelivery,
    private readonly lifetime: ServerLifetime,
  ) {}

  async send(reply: ReplyText): Promise<void> {
    const bytes = replyBytes(reply);
    switch (this.delivery.kind) {
      case 'whole':
        return writeFully(this.socket(), bytes);
      case 'merged':
        this.held.push(bytes);
        return;
      case 'byte-by-byte':
        for (let i = 0; i < bytes.length; i += 1) {
          if (i > 0 && !(await this.lifetime.sleep(this.delivery.delayMs))) return;
          await writeFully(this.socket(), bytes.subarray(i, i + 1));
        }
    }
  }

  /** Writes held replies as one write; call it whenever the server is about to wait for the client. */
  async flush(): Promise<void> {
    if (this.held.length === 0) return;
    const bytes = Buffer.concat(this.held);
    this.held = [];
    await writeFully(this.socket(), bytes);
  }
}
