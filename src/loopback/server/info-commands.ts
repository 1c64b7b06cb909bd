/** Commands that only describe or set session parameters: FEAT, OPTS, SYST, NOOP, TYPE, MODE, STRU. */
import { featureLines, parseHashAlgorithm } from './features';
import type { CommandTable } from './session-context';

export const INFO_COMMANDS: CommandTable = {
  FEAT: {
    needsLogin: false,
    handler: async (session) => {
      const lines = featureLines({
        allowCcc: session.server.settings.allowCcc,
        hashAlgorithm: session.state.hashAlgorithm,
      });
      await session.reply(211, 'Features:', ...lines, 'End');
    },
  },
  OPTS: {
    needsLogin: false,
    handler: async (session, argument) => {
      const [option = '', ...rest] = argument.trim().split(/\s+/);
      const value = rest.join(' ');
      switch (option.toUpperCase()) {
        case 'UTF8':
          // Names are always UTF-8 here; ON and OFF are both accepted.
          await session.reply(200, `UTF8 ${value.toUpperCase() === 'OFF' ? 'off' : 'on'}`);
          return;
        case 'HASH': {
          if (value === '') {
            await session.reply(200, session.state.hashAlgorithm);
            return;
          }
          const algorithm = parseHashAlgorithm(value);
          if (!algorithm) {
            await session.reply(504, `Unsupported hash algorithm ${value}`);
            return;
          }
          session.state.hashAlgorithm = algorithm;
          await session.reply(200, algorithm);
          return;
        }
        default:
          await session.reply(501, `Option ${option} not understood`);
      }
    },
  },
  SYST: {
    needsLogin: false,
    handler: async (session) => session.reply(215, 'UNIX Type: L8'),
  },
  NOOP: {
    needsLogin: false,
    handler: async (session) => session.reply(200, 'NOOP ok'),
  },
  TYPE: {
    needsLogin: true,
    handler: async (session, argument) => {
      const type = argument.trim().toUpperCase().replace(/\s+/g, ' ');
      // Transfers are never converted (like vsftpd's default): A only changes the 150 wording.
      if (type === 'A' || type === 'A N') session.state.type = 'A';
      else if (type === 'I' || type === 'L 8') session.state.type = 'I';
      else return session.reply(504, `Type ${argument} not supported`);
      return session.reply(200, `Type set to ${session.state.type}`);
    },
  },
  MODE: {
    needsLogin: true,
    handler: async (session, argument) =>
      argument.trim().toUpperCase() === 'S'
        ? session.reply(200, 'Mode set to S')
        : session.reply(504, 'Only MODE S is supported'),
  },
  STRU: {
    needsLogin: true,
    handler: async (session, argument) =>
      argument.trim().toUpperCase() === 'F'
        ? session.reply(200, 'Structure set to F')
        : session.reply(504, 'Only STRU F is supported'),
  },
};
