/** Commands on single files that need no data connection: DELE, RNFR, RNTO, SIZE, MDTM, MLST, HASH, REST. */
import { rename, stat, unlink } from 'node:fs/promises';
import { entryInfo } from './entry-info';
import { hashFile } from './hash-file';
import { ftpTimestamp, mlsxLine } from './listing';
import type { Stats } from 'node:fs';
import type { CommandTable, ResolvedPath, SessionContext } from './session-context';

/** The file an argument names, or undefined after answering 550 (or the path error) for anything else. */
async function regularFile(
  session: SessionContext,
  argument: string,
): Promise<{ target: ResolvedPath; stats: Stats } | undefined> {
  const target = await session.resolvePath(argument);
  if (!target) return undefined;
  const stats = await stat(target.realPath).catch(() => undefined);
  if (!stats?.isFile()) {
    await session.reply(550, `${argument}: not a regular file`);
    return undefined;
  }
  return { target, stats };
}

export const FILE_COMMANDS: CommandTable = {
  DELE: {
    needsLogin: true,
    handler: async (session, argument) => {
      const target = await session.resolvePath(argument);
      if (!target) return;
      try {
        await unlink(target.realPath);
        await session.reply(250, `${target.virtualPath} deleted`);
      } catch {
        await session.reply(550, `${argument}: cannot delete`);
      }
    },
  },
  RNFR: {
    needsLogin: true,
    handler: async (session, argument) => {
      const source = await session.resolvePath(argument);
      if (!source) return;
      if (!(await stat(source.realPath).catch(() => undefined)))
        return session.reply(550, `${argument}: No such file or directory`);
      session.state.renameFrom = source.realPath;
      return session.reply(350, 'Ready for RNTO');
    },
  },
  RNTO: {
    needsLogin: true,
    handler: async (session, argument) => {
      const from = session.state.renameFrom;
      session.state.renameFrom = undefined;
      if (from === undefined) return session.reply(503, 'Send RNFR first');
      const target = await session.resolvePath(argument);
      if (!target) return;
      try {
        await rename(from, target.realPath);
        await session.reply(250, `Renamed to ${target.virtualPath}`);
      } catch {
        await session.reply(553, `${argument}: cannot rename`);
      }
    },
  },
  SIZE: {
    needsLogin: true,
    handler: async (session, argument) => {
      const file = await regularFile(session, argument);
      if (file) await session.reply(213, String(file.stats.size));
    },
  },
  MDTM: {
    needsLogin: true,
    handler: async (session, argument) => {
      const file = await regularFile(session, argument);
      if (file) await session.reply(213, ftpTimestamp(file.stats.mtime));
    },
  },
  MLST: {
    needsLogin: true,
    handler: async (session, argument) => {
      const target = await session.resolvePath(argument === '' ? '.' : argument);
      if (!target) return;
      const entry = await entryInfo(target.realPath, target.virtualPath).catch(() => undefined);
      if (!entry) return session.reply(550, `${argument}: No such file or directory`);
      // RFC 3659 7.2: the facts line starts with a space and names the path as given back.
      return session.reply(250, `Listing ${target.virtualPath}`, ` ${mlsxLine(entry)}`, 'End');
    },
  },
  HASH: {
    needsLogin: true,
    handler: async (session, argument) => {
      const file = await regularFile(session, argument);
      if (!file) return;
      const { target, stats } = file;
      const algorithm = session.state.hashAlgorithm;
      const hex = await hashFile(target.realPath, algorithm);
      // draft-bryan-ftpext-hash: "213 <algorithm> <start>-<end> <hash> <path>"; end is exclusive, as proftpd's mod_digest prints it.
      return session.reply(213, `${algorithm} 0-${stats.size} ${hex} ${argument}`);
    },
  },
  REST: {
    needsLogin: true,
    handler: async (session, argument) => {
      if (!/^\d+$/.test(argument.trim())) return session.reply(501, 'REST needs a byte offset');
      session.state.restOffset = Number(argument.trim());
      return session.reply(350, `Restarting at ${session.state.restOffset}; send RETR or STOR`);
    },
  },
};
