/**
 * The life of one transfer on a data connection: 150 (via openDataConnection), the bytes
 * with backpressure, then 226, or 426 when the connection broke or ABOR cut it.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable, Transform, type Duplex } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SessionContext } from './session-context';

/** Lingering data sockets are destroyed after this, if the client never closes its side. */
const LINGER_MS = 5000;

function linger(data: Duplex): void {
  // Keep reading so the client's close_notify and FIN are processed; then the socket closes itself.
  data.resume();
  setTimeout(() => data.destroy(), LINGER_MS).unref();
}

/** Download: `pipeline` ends the data socket, which for TLS sends close_notify before the 226. */
export async function sendToClient(
  session: SessionContext,
  preliminary: string,
  source: () => Readable,
): Promise<void> {
  const data = await session.openDataConnection(preliminary);
  if (!data) return;
  try {
    await pipeline(source(), data);
  } catch {
    data.destroy();
    await session.reply(426, 'Data connection closed; transfer aborted');
    return;
  }
  await session.reply(226, 'Transfer complete');
  linger(data);
}

export async function sendFile(
  session: SessionContext,
  realPath: string,
  start: number,
  preliminary: string,
): Promise<void> {
  const rate = session.server.settings.downloadBytesPerSecond;
  return sendToClient(session, preliminary, () =>
    rate
      ? createReadStream(realPath, { start, highWaterMark: 16 * 1024 }).pipe(throttle(rate))
      : createReadStream(realPath, { start }),
  );
}

/** Slows a transfer to `bytesPerSecond`, so tests can interrupt it half-way. */
function throttle(bytesPerSecond: number): Transform {
  const started = Date.now();
  let sent = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      sent += chunk.length;
      const due = started + (sent / bytesPerSecond) * 1000;
      setTimeout(() => callback(null, chunk), Math.max(0, due - Date.now()));
    },
  });
}

export async function sendText(session: SessionContext, preliminary: string, text: string): Promise<void> {
  return sendToClient(session, preliminary, () => Readable.from([Buffer.from(text, 'utf8')]));
}

/**
 * Upload: the 226 goes out only after the client ended the data stream (close_notify with
 * TLS) and every byte is on disk, so "226" means the file is complete.
 */
export async function receiveFile(
  session: SessionContext,
  realPath: string,
  mode: { append: boolean; start: number },
  preliminary: string,
): Promise<void> {
  const data = await session.openDataConnection(preliminary);
  if (!data) return;
  const flags = mode.append ? 'a' : mode.start > 0 ? 'r+' : 'w';
  try {
    const file = createWriteStream(realPath, { flags, ...(mode.append ? {} : { start: mode.start }) });
    const rate = session.server.settings.uploadBytesPerSecond;
    await (rate ? pipeline(data, throttle(rate), file) : pipeline(data, file));
  } catch {
    data.destroy();
    await session.reply(426, 'Data connection closed; transfer aborted');
    return;
  }
  await session.reply(226, 'Transfer complete');
  data.destroy();
}
