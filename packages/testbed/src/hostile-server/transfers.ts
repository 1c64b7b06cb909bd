/**
 * RETR, LIST/NLST and STOR over the passive data connection, with the download faults of
 * the script: reply order, truncation, an end without close_notify, a stall after 150.
 */

import type { Socket } from 'node:net';
import type { DownloadBehaviour } from './hostile-script';
import type { DataChannel } from './passive-listener';
import { writeFully } from './reply-writer';
import type { VerbContext } from './verb-context';

/** How long a transfer command waits for the client to open the data connection. */
const DATA_CONNECTION_WAIT_MS = 5_000;
/** In `data-before-preliminary`, the longest wait for the client to close the data connection before the 150 goes out. */
const DATA_FIRST_WAIT_MS = 1_000;
/** In `final-before-data`, the pause that puts the final reply surely on the wire before the first data byte. */
const FINAL_FIRST_PAUSE_MS = 50;

async function awaitDataChannel(context: VerbContext): Promise<DataChannel | undefined> {
  const passive = context.passive;
  if (!passive) {
    await context.reply('425 Use EPSV or PASV first');
    return undefined;
  }
  // Held replies go out first: the client may wait for one before it connects.
  await context.flushReplies();
  const channel = await passive.nextConnection(DATA_CONNECTION_WAIT_MS);
  if (!channel) {
    await context.reply("425 Can't open data connection");
    return undefined;
  }
  if (context.script.requireSessionReuse && channel.tlsUp && !channel.resumed) {
    channel.socket.destroy();
    await context.reply('522 SSL connection failed: session reuse required');
    return undefined;
  }
  return channel;
}

function endGracefully(socket: Socket): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    socket.once('close', () => resolve());
    socket.end(() => resolve());
  });
}

async function sendData(channel: DataChannel, bytes: Buffer, dataEnd: 'clean' | 'destroy'): Promise<void> {
  await writeFully(channel.socket, bytes);
  // destroy() on a TLS socket skips close_notify: the truncation a client must notice.
  if (dataEnd === 'destroy') channel.socket.destroy();
  else await endGracefully(channel.socket);
}

/** Closes the data connection before TLS and sends the script's replies, in its order. */
async function closeBeforeTls(
  context: VerbContext,
  channel: DataChannel,
  plan: NonNullable<DownloadBehaviour['closeDataBeforeTls']>,
): Promise<void> {
  const sendReplies = async (): Promise<void> => {
    for (const reply of plan.replies) await context.reply(reply);
    await context.flushReplies();
  };
  if (plan.order === 'replies-first') await sendReplies();
  channel.socket.destroy();
  await channel.closed;
  if (plan.order !== 'replies-first') await sendReplies();
  if (plan.closeControl) {
    context.goSilent();
    context.closeControl();
  }
}

async function sendPreliminaries(context: VerbContext, behaviour: DownloadBehaviour, standard: string): Promise<void> {
  for (const reply of behaviour.preliminaries ?? [standard]) await context.reply(reply);
}

export async function serveDownload(
  context: VerbContext,
  payload: Buffer,
  behaviour: DownloadBehaviour,
): Promise<void> {
  const channel = await awaitDataChannel(context);
  if (!channel) return;
  if (behaviour.closeDataBeforeTls) return closeBeforeTls(context, channel, behaviour.closeDataBeforeTls);
  const bytes = behaviour.truncateAt === undefined ? payload : payload.subarray(0, behaviour.truncateAt);
  const dataEnd = behaviour.dataEnd ?? 'clean';
  const finalReply = behaviour.finalReply === undefined ? '226 Transfer complete' : behaviour.finalReply;
  const preliminary = `150 Opening ${channel.tlsUp ? 'TLS' : 'clear'} data connection for ${payload.length} bytes`;
  const sendFinal = async (): Promise<void> => {
    if (finalReply !== null) await context.reply(finalReply);
  };
  switch (behaviour.order ?? 'preliminary-data-final') {
    case 'preliminary-data-final':
      await sendPreliminaries(context, behaviour, preliminary);
      if (behaviour.stallAfterPreliminary) {
        await context.flushReplies();
        context.goSilent();
        return;
      }
      await sendData(channel, bytes, dataEnd);
      await sendFinal();
      return;
    case 'final-before-data':
      await sendPreliminaries(context, behaviour, preliminary);
      await sendFinal();
      await context.flushReplies();
      if (!(await context.sleep(FINAL_FIRST_PAUSE_MS))) return;
      await sendData(channel, bytes, dataEnd);
      return;
    case 'data-before-preliminary':
      await sendData(channel, bytes, dataEnd);
      await Promise.race([channel.closed, context.sleep(DATA_FIRST_WAIT_MS)]);
      await sendPreliminaries(context, behaviour, preliminary);
      await sendFinal();
      return;
  }
}

export async function serveUpload(context: VerbContext): Promise<void> {
  const channel = await awaitDataChannel(context);
  if (!channel) return;
  const closeFirst = context.script.upload?.closeDataBeforeTls;
  if (closeFirst) return closeBeforeTls(context, channel, closeFirst);
  await context.reply(context.script.upload?.preliminary ?? '150 Ok to send data');
  await context.flushReplies();
  await channel.ended;
  await context.reply('226 Transfer complete');
}
