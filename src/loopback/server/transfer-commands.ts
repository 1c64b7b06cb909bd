/** Commands that use a data connection: PASV, EPSV, RETR, STOR, APPE, LIST, NLST, MLSD. */
import { stat } from 'node:fs/promises';
import { receiveFile, sendFile, sendText } from './data-transfer';
import { directoryEntries, entryInfo } from './entry-info';
import { mlsxLine, unixListLine } from './listing';
import type { CommandTable, SessionContext } from './session-context';
import { baseName } from './virtual-path';

function modeName(session: SessionContext): string {
  return session.state.type === 'A' ? 'ASCII' : 'BINARY';
}

/** `LIST -la dir` → `dir`: ls options some clients send are ignored. */
function listTarget(argument: string): string {
  const words = argument.trim().split(/\s+/);
  while (words.length > 0 && words[0]!.startsWith('-')) words.shift();
  return words.join(' ') || '.';
}

type ListStyle = 'LIST' | 'NLST' | 'MLSD';

async function list(session: SessionContext, argument: string, style: ListStyle): Promise<void> {
  const target = await session.resolvePath(style === 'MLSD' ? argument || '.' : listTarget(argument));
  if (!target) return;
  const stats = await stat(target.realPath).catch(() => undefined);
  if (!stats) return session.reply(550, `${argument}: No such file or directory`);
  if (style === 'MLSD' && !stats.isDirectory()) return session.reply(501, `${argument}: not a directory`);
  const entries = stats.isDirectory()
    ? await directoryEntries(target.realPath, (entryPath) => session.server.jail.holds(entryPath))
    : [await entryInfo(target.realPath, baseName(target.virtualPath))];
  const now = new Date();
  const lines = entries.map((entry) =>
    style === 'LIST' ? unixListLine(entry, now) : style === 'MLSD' ? mlsxLine(entry) : entry.name,
  );
  const text = lines.map((line) => `${line}\r\n`).join('');
  return sendText(session, `Opening ASCII mode data connection for ${style === 'MLSD' ? 'MLSD' : 'file list'}`, text);
}

function takeRestOffset(session: SessionContext): number {
  const offset = session.state.restOffset;
  session.state.restOffset = 0;
  return offset;
}

async function store(session: SessionContext, argument: string, append: boolean): Promise<void> {
  const start = append ? 0 : takeRestOffset(session);
  const target = await session.resolvePath(argument);
  if (!target) return;
  const existing = await stat(target.realPath).catch(() => undefined);
  if (existing?.isDirectory()) return session.reply(550, `${argument}: is a directory`);
  if (start > 0 && (!existing || existing.size < start))
    return session.reply(554, `REST ${start} is past the end of ${argument}`);
  return receiveFile(
    session,
    target.realPath,
    { append, start },
    `Opening ${modeName(session)} mode data connection for ${target.virtualPath}`,
  );
}

export const TRANSFER_COMMANDS: CommandTable = {
  PASV: {
    needsLogin: true,
    handler: async (session) => {
      const port = await session.openPassivePort();
      const address = (session.server.settings.pasvAddress ?? '127.0.0.1').split('.').join(',');
      await session.reply(227, `Entering Passive Mode (${address},${Math.floor(port / 256)},${port % 256})`);
    },
  },
  EPSV: {
    needsLogin: true,
    handler: async (session, argument) => {
      const protocol = argument.trim().toUpperCase();
      if (protocol === 'ALL') return session.reply(200, 'EPSV ALL ok');
      if (protocol !== '' && protocol !== '1') return session.reply(522, 'Network protocol not supported, use (1)');
      const port = await session.openPassivePort();
      return session.reply(229, `Entering Extended Passive Mode (|||${port}|)`);
    },
  },
  RETR: {
    needsLogin: true,
    transfer: true,
    handler: async (session, argument) => {
      const start = takeRestOffset(session);
      const target = await session.resolvePath(argument);
      if (!target) return;
      const stats = await stat(target.realPath).catch(() => undefined);
      if (!stats?.isFile()) return session.reply(550, `${argument}: not a regular file`);
      if (start > stats.size) return session.reply(554, `REST ${start} is past the end of ${argument}`);
      return sendFile(
        session,
        target.realPath,
        start,
        `Opening ${modeName(session)} mode data connection for ${target.virtualPath} (${stats.size - start} bytes)`,
      );
    },
  },
  STOR: { needsLogin: true, transfer: true, handler: async (session, argument) => store(session, argument, false) },
  APPE: { needsLogin: true, transfer: true, handler: async (session, argument) => store(session, argument, true) },
  LIST: { needsLogin: true, transfer: true, handler: async (session, argument) => list(session, argument, 'LIST') },
  NLST: { needsLogin: true, transfer: true, handler: async (session, argument) => list(session, argument, 'NLST') },
  MLSD: { needsLogin: true, transfer: true, handler: async (session, argument) => list(session, argument, 'MLSD') },
};
