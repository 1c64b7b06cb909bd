/**
 * oclif's parse errors (unknown flag, missing argument, bad option value) as one plain
 * sentence with a did-you-mean, for the terminal and for `--json`. oclif's own rendering
 * wraps lines, colours them, and under `--json` prints its internals (the whole
 * package.json among them): users get neither.
 */
import { Errors } from '@oclif/core';
import { closestMatch } from '../text/closest-match';

/** True for the errors oclif raises while parsing argv (exit 2 in oclif's own terms). */
export function isParseError(error: unknown): error is Errors.CLIError {
  return error instanceof Errors.CLIError && (error as { oclif?: { exit?: number } }).oclif?.exit === 2;
}

/**
 * The message for a parse error of command `commandId` (`session ls`), whose flag names are
 * `flagNames` (without dashes). Unknown flags get the closest known flag, as `--policy` →
 * `--policies`.
 */
export function usageErrorMessage(
  error: Errors.CLIError,
  bin: string,
  commandId: string,
  flagNames: readonly string[],
): string {
  const help = `run "${bin} ${commandId} --help" for its usage`;
  const unknown = (error as { flags?: unknown }).flags;
  if (Array.isArray(unknown) && unknown.length > 0) {
    const parts = unknown.map((typed: string) => {
      const bare = typed.replace(/^-+/, '').split('=')[0] ?? '';
      const near = closestMatch(bare, flagNames) ?? sharedStem(bare, flagNames);
      return near ? `${typed} (did you mean --${near}?)` : typed;
    });
    return `${bin} ${commandId}: unknown flag ${parts.join(', ')}; ${help}`;
  }
  const missing = (error as { args?: unknown }).args;
  // RequiredArgsError (not exported by oclif): its `args` are the missing argument definitions.
  if (
    Array.isArray(missing) &&
    missing.length > 0 &&
    missing.every((arg) => typeof (arg as { name?: unknown })?.name === 'string')
  ) {
    const names = (missing as { name: string; description?: string }[]).map(
      (arg) => `${arg.name.toUpperCase()}${arg.description ? ` (${arg.description})` : ''}`,
    );
    return `${bin} ${commandId}: missing ${names.length === 1 ? 'argument' : 'arguments'} ${names.join(', ')}; ${help}`;
  }
  // oclif's messages span several lines ("Missing 1 required arg:\nprofile  profile file\nSee more help with --help").
  const text = plainText(error.message)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^See more help with/i.test(line))
    .join('; ')
    .replace(/:;/g, ':')
    // A flag's own parse error that names its flag: "Parsing --policies; --policies needs …" → "--policies needs …".
    .replace(/^Parsing (--[\w-]+); \1 /, '$1 ');
  return `${bin} ${commandId}: ${text}; ${help}`;
}

/** A flag that shares a stem with the typed one (`--policy` → `policies`), for typos an edit distance misses. */
function sharedStem(typed: string, flagNames: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  if (lower.length < 4) return undefined;
  return flagNames.find((name) => {
    let common = 0;
    while (common < lower.length && common < name.length && lower[common] === name[common]) common++;
    return common >= Math.max(4, lower.length - 2);
  });
}

function plainText(text: string): string {
  // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
