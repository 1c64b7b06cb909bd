/** AUTH TLS, PBSZ, PROT and CCC (RFC 4217, RFC 2228). */
import type { CommandTable } from './session-context';

const TLS_MECHANISMS = new Set(['TLS', 'TLS-C', 'SSL']);
// curl's default (passive) CCC mode never answers our close_notify: do not keep it waiting long.
const CLOSE_NOTIFY_WAIT_MS = 2000;

export const SECURITY_COMMANDS: CommandTable = {
  AUTH: {
    needsLogin: false,
    handler: async (session, argument) => {
      if (session.channel.isSecure || session.state.cccDone || session.state.loggedIn) {
        await session.reply(503, 'AUTH not allowed now');
        return;
      }
      if (!TLS_MECHANISMS.has(argument.trim().toUpperCase())) {
        await session.reply(504, `AUTH ${argument} not supported; use AUTH TLS`);
        return;
      }
      await session.reply(234, 'AUTH TLS successful');
      try {
        await session.channel.startTls(session.server.settings.dataTimeoutMs);
      } catch {
        session.channel.destroy(); // nothing sensible can be said in clear after a failed handshake
      }
    },
  },
  PBSZ: {
    needsLogin: false,
    handler: async (session) => {
      if (!session.channel.isSecure) {
        await session.reply(503, 'PBSZ needs a protected control connection (AUTH TLS first)');
        return;
      }
      session.state.pbszDone = true;
      await session.reply(200, 'PBSZ=0');
    },
  },
  PROT: {
    needsLogin: false,
    handler: async (session, argument) => {
      if (!session.channel.isSecure) {
        await session.reply(503, 'PROT needs a protected control connection (AUTH TLS first)');
        return;
      }
      if (!session.state.pbszDone) {
        await session.reply(503, 'Send PBSZ before PROT');
        return;
      }
      const level = argument.trim().toUpperCase();
      if (level === 'P') {
        session.state.protection = 'P';
        await session.reply(200, 'Protection level set to Private');
      } else if (level === 'C') {
        if (session.server.settings.requireProtP) {
          await session.reply(534, 'PROT C refused: data connections must be protected');
          return;
        }
        session.state.protection = 'C';
        await session.reply(200, 'Protection level set to Clear');
      } else if (level === 'S' || level === 'E') {
        await session.reply(536, `PROT ${level} not supported with TLS`);
      } else {
        await session.reply(504, `Unknown protection level ${argument}`);
      }
    },
  },
  CCC: {
    needsLogin: true,
    handler: async (session) => {
      if (!session.channel.isSecure) {
        await session.reply(533, 'The control connection is not protected');
        return;
      }
      if (!session.server.settings.allowCcc) {
        await session.reply(534, 'CCC refused by policy');
        return;
      }
      await session.reply(200, 'Control connection back in clear');
      // The PROT level stays as it was (RFC 4217 12.3).
      await session.channel.stopTls(CLOSE_NOTIFY_WAIT_MS);
      session.state.cccDone = true;
    },
  },
};
