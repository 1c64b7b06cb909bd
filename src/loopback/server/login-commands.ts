/** USER and PASS. Passwords are compared in constant time over their SHA-256 digests. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { CommandTable, SessionContext } from './session-context';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function passwordMatches(session: SessionContext, user: string, password: string): boolean {
  const account = session.server.settings.users.find((candidate) => candidate.user === user);
  // Compare even for an unknown user, so timing does not tell which users exist.
  const expected = digest(account?.password ?? '\0no such user');
  return timingSafeEqual(expected, digest(password)) && account !== undefined;
}

export const LOGIN_COMMANDS: CommandTable = {
  USER: {
    needsLogin: false,
    handler: async (session, argument) => {
      if (session.server.settings.requireTls && !session.channel.isSecure) {
        await session.reply(530, 'TLS required: send AUTH TLS before USER');
        return;
      }
      if (argument === '') {
        await session.reply(501, 'USER needs a user name');
        return;
      }
      session.state.user = argument;
      session.state.loggedIn = false;
      await session.reply(331, `Password required for ${argument}`);
    },
  },
  PASS: {
    needsLogin: false,
    handler: async (session, argument) => {
      const user = session.state.user;
      if (user === undefined) {
        await session.reply(503, 'Send USER first');
        return;
      }
      if (!passwordMatches(session, user, argument)) {
        session.state.user = undefined;
        await session.reply(530, 'Login incorrect');
        return;
      }
      session.state.loggedIn = true;
      await session.reply(230, `User ${user} logged in`);
    },
  },
};
