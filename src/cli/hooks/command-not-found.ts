/**
 * oclif `command_not_found` hook: names the closest command or topic and exits with the
 * usage code (2). oclif's plugin-not-found only suggests on a TTY (as a prompt) and exits 127.
 */
import type { Hook } from '@oclif/core';
import { ExitCode } from '../../errors/exit-codes';
import { closestMatch } from '../../text/closest-match';

const hook: Hook<'command_not_found'> = async function (options) {
  const visible = options.config.commands.filter((command) => !command.hidden);
  const candidates = [
    ...visible.map((command) => command.id),
    ...visible.flatMap((command) => command.aliases),
    ...options.config.topics.map((topic) => topic.name),
  ];
  const typed = options.id.split(':').join(' ');
  // oclif joins arguments into the id ("profile:validat:x.json"): try the longest prefix first.
  const parts = options.id.split(':');
  let suggestion: string | undefined;
  for (let length = parts.length; length > 0 && !suggestion; length--)
    suggestion = closestMatch(parts.slice(0, length).join(':'), candidates);
  const hint = suggestion ? `Did you mean "${options.config.bin} ${suggestion.split(':').join(' ')}"? ` : '';
  const message = `${options.config.bin}: "${typed}" is not an ${options.config.bin} command. ${hint}Run "${options.config.bin} help" for the list of commands.`;
  // Under --json, usage errors are one JSON object on stdout, as for every command.
  if ((options.argv ?? []).includes('--json') || options.id.split(':').includes('--json')) {
    process.stdout.write(
      `${JSON.stringify({ error: { code: 'FTPSCTL_ERR_USAGE', message, exitCode: ExitCode.usage } }, null, 2)}\n`,
    );
  } else {
    // Written directly: oclif's error() wraps lines at the terminal width, splitting the suggestion.
    process.stderr.write(`${message}\n`);
  }
  this.exit(ExitCode.usage);
};

export default hook;
