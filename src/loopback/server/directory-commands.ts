/** PWD, CWD, CDUP, MKD, RMD. */
import { mkdir, rmdir, stat } from 'node:fs/promises';
import { quotePath } from './reply';
import type { CommandTable, SessionContext } from './session-context';

async function changeDirectory(session: SessionContext, argument: string): Promise<void> {
  const target = await session.resolvePath(argument);
  if (!target) return;
  const stats = await stat(target.realPath).catch(() => undefined);
  if (!stats?.isDirectory()) {
    await session.reply(550, `${argument}: No such directory`);
    return;
  }
  session.state.cwd = target.virtualPath;
  await session.reply(250, `Directory changed to ${target.virtualPath}`);
}

export const DIRECTORY_COMMANDS: CommandTable = {
  PWD: {
    needsLogin: true,
    handler: async (session) => session.reply(257, `${quotePath(session.state.cwd)} is the current directory`),
  },
  CWD: {
    needsLogin: true,
    handler: async (session, argument) => changeDirectory(session, argument === '' ? '/' : argument),
  },
  CDUP: {
    needsLogin: true,
    handler: async (session) => {
      if (session.state.cwd === '/') return session.reply(250, 'Already at /');
      return changeDirectory(session, '..');
    },
  },
  MKD: {
    needsLogin: true,
    handler: async (session, argument) => {
      const target = await session.resolvePath(argument);
      if (!target) return;
      try {
        await mkdir(target.realPath);
        await session.reply(257, `${quotePath(target.virtualPath)} created`);
      } catch {
        await session.reply(550, `${argument}: cannot create directory`);
      }
    },
  },
  RMD: {
    needsLogin: true,
    handler: async (session, argument) => {
      const target = await session.resolvePath(argument);
      if (!target) return;
      if (target.virtualPath === '/') return session.reply(550, 'Cannot remove the root');
      try {
        await rmdir(target.realPath);
        await session.reply(250, `${target.virtualPath} removed`);
      } catch {
        await session.reply(550, `${argument}: cannot remove directory`);
      }
    },
  },
};
