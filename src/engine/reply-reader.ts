/**
 * Turns the control connection's bytes into replies, one at a time, for whoever waits. The
 * parsing is `parseReplies` (pure); this holds the buffer, the queue and the timeouts.
 */
import { StringDecoder } from 'node:string_decoder';
import { SessionError } from '../errors';
import { parseReplies, type FtpReply } from './parse-reply';

/** A reply buffer this large without a complete reply is a broken or hostile server. */
export const MAX_PENDING_REPLY_BYTES = 1024 * 1024;

interface Waiter {
  resolve: (reply: FtpReply) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export class ReplyReader {
  private decoder = new StringDecoder('utf8');
  private buffer = '';
  private readonly ready: FtpReply[] = [];
  private waiter?: Waiter;
  private failure?: Error;

  constructor(private readonly host: string) {}

  push(chunk: Buffer | string): void {
    if (this.failure) return;
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const parsed = parseReplies(this.buffer);
    this.buffer = parsed.rest;
    this.ready.push(...parsed.replies);
    if (parsed.problem) this.fail(new SessionError('FTPSCTL_ERR_PROTOCOL', `${this.host} sent a malformed reply: ${parsed.problem}`, { host: this.host }));
    else if (this.buffer.length > MAX_PENDING_REPLY_BYTES) this.fail(new SessionError('FTPSCTL_ERR_PROTOCOL', `${this.host} sent more than ${MAX_PENDING_REPLY_BYTES} bytes without completing a reply`, { host: this.host }));
    this.deliver();
  }

  /** Every later `next()` rejects with this (the first failure wins). */
  fail(error: Error): void {
    this.failure ??= error;
    this.deliver();
  }

  /** True when bytes or replies arrived that nobody asked for yet (e.g. injected before a TLS upgrade). */
  hasUnread(): boolean {
    return this.ready.length > 0 || this.buffer.length > 0;
  }

  /** `setting` names the timeout in the message, so the user knows what to raise. */
  next(timeoutMs: number, waitingFor: string, setting = 'network.idleTimeoutMs'): Promise<FtpReply> {
    if (this.waiter) return Promise.reject(new SessionError('FTPSCTL_ERR_INTERNAL', 'two readers waiting for one control connection'));
    return new Promise<FtpReply>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (Number.isFinite(timeoutMs)) {
        waiter.timer = setTimeout(() => {
          this.waiter = undefined;
          reject(new SessionError('FTPSCTL_ERR_TIMEOUT', `${this.host} did not answer ${waitingFor} within ${timeoutMs} ms (${setting})`, { host: this.host }));
        }, timeoutMs);
      }
      this.waiter = waiter;
      this.deliver();
    });
  }

  private deliver(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    const reply = this.ready.shift();
    if (!reply && !this.failure) return;
    this.waiter = undefined;
    if (waiter.timer) clearTimeout(waiter.timer);
    if (reply) waiter.resolve(reply);
    else waiter.reject(this.failure as Error);
  }
}
