/**
 * Turns the control connection's bytes into replies, one at a time, for whoever waits. The
 * parsing is `parseReplies` (pure); this holds the buffer, the queue and the timeouts.
 * Bytes are cut into lines at LF before they are decoded (`network.encoding`, name-codec.ts),
 * so a character split across packets, or a name that is not UTF-8, decodes whole.
 */
import { SessionError } from '../errors';
import { nameCodec, type NameCodec } from './name-codec';
import { MAX_REPLY_LINE, parseReplies, type FtpReply } from './parse-reply';

/** A reply buffer this large without a complete reply is a broken or hostile server. */
export const MAX_PENDING_REPLY_BYTES = 1024 * 1024;

interface Waiter {
  resolve: (reply: FtpReply) => void;
  reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

export class ReplyReader {
  /** Bytes after the last LF, not decoded yet. */
  private partialLine: Buffer = Buffer.alloc(0);
  /** Decoded whole lines that do not make a complete reply yet. */
  private buffer = '';
  private readonly ready: FtpReply[] = [];
  private waiter?: Waiter;
  private failure?: Error;

  constructor(
    private readonly host: string,
    private codec: NameCodec = nameCodec('auto'),
  ) {}

  /** `network.encoding`; applies to the lines that arrive from now on. */
  setCodec(codec: NameCodec): void {
    this.codec = codec;
  }

  push(chunk: Buffer | string): void {
    if (this.failure) return;
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const joined = this.partialLine.length > 0 ? Buffer.concat([this.partialLine, bytes]) : bytes;
    const lastLf = joined.lastIndexOf(0x0a);
    if (lastLf >= 0) this.buffer += this.codec.decode(joined.subarray(0, lastLf + 1));
    this.partialLine = Buffer.from(joined.subarray(lastLf + 1));
    const parsed = parseReplies(this.buffer);
    this.buffer = parsed.rest;
    for (const reply of parsed.replies) this.ready.push(reply); // never one argument per reply (issue 12)
    if (parsed.problem)
      this.fail(
        new SessionError('FTPSCTL_ERR_PROTOCOL', `${this.host} sent a malformed reply: ${parsed.problem}`, {
          host: this.host,
        }),
      );
    else if (this.partialLine.length > MAX_REPLY_LINE)
      this.fail(
        new SessionError(
          'FTPSCTL_ERR_PROTOCOL',
          `${this.host} sent a malformed reply: reply line longer than ${MAX_REPLY_LINE} bytes without a line end`,
          { host: this.host },
        ),
      );
    else if (this.buffer.length + this.partialLine.length > MAX_PENDING_REPLY_BYTES)
      this.fail(
        new SessionError(
          'FTPSCTL_ERR_PROTOCOL',
          `${this.host} sent more than ${MAX_PENDING_REPLY_BYTES} bytes without completing a reply`,
          { host: this.host },
        ),
      );
    this.deliver();
  }

  /** Every later `next()` rejects with this (the first failure wins). */
  fail(error: Error): void {
    this.failure ??= error;
    this.deliver();
  }

  /** True when bytes or replies arrived that nobody asked for yet (e.g. injected before a TLS upgrade). */
  hasUnread(): boolean {
    return this.ready.length > 0 || this.buffer.length > 0 || this.partialLine.length > 0;
  }

  /** What arrived of a reply that is not complete yet (for messages), or undefined. */
  private unfinished(): string | undefined {
    const text = this.buffer + this.codec.decode(this.partialLine);
    if (text === '') return undefined;
    const lines = text
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l !== '');
    const shown = lines.slice(-3).join(' | ');
    return shown.length > 200 ? `${shown.slice(0, 200)}...` : shown;
  }

  /** `setting` names the timeout in the message, so the user knows what to raise. */
  next(timeoutMs: number, waitingFor: string, setting = 'network.idleTimeoutMs'): Promise<FtpReply> {
    if (this.waiter)
      return Promise.reject(new SessionError('FTPSCTL_ERR_INTERNAL', 'two readers waiting for one control connection'));
    return new Promise<FtpReply>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (Number.isFinite(timeoutMs)) {
        waiter.timer = setTimeout(() => {
          this.waiter = undefined;
          // Never say "did not answer" about a server that sent part of a reply: name what came.
          const partial = this.unfinished();
          const message = partial
            ? `${this.host} began a reply to ${waitingFor} and did not finish it within ${timeoutMs} ms (${setting}); it sent ${JSON.stringify(partial)} (a multi-line reply must end with a line that starts with its code and a space)`
            : `${this.host} did not answer ${waitingFor} within ${timeoutMs} ms (${setting})`;
          reject(new SessionError('FTPSCTL_ERR_TIMEOUT', message, { host: this.host }));
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
