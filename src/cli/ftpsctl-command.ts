/**
 * Base class of every ftpsctl command: `--json` on, and the one place where library errors
 * become exit codes (errors/exit-codes.ts) and messages without stack traces.
 */
import { Command, Errors } from '@oclif/core';
import { exitCodeForError, ExitCode } from '../errors/exit-codes';
import { isFtpsctlError } from '../errors/ftpsctl-error';
import { printableJson, printableLines, printableOutput } from '../text/printable-text';
import { redactSecretsIn } from '../text/secret-redaction';
import { redactStreamWrites, withoutStreamRedaction } from './redacted-output';
import { isParseError, usageErrorMessage } from './usage-error-message';

export abstract class FtpsctlCommand<T> extends Command {
  static override enableJsonFlag = true;

  abstract override run(): Promise<T>;

  override async init(): Promise<void> {
    // Before anything is printed: no secret a server echoes can reach the output (text/secret-redaction.ts).
    redactStreamWrites(process.stdout);
    redactStreamWrites(process.stderr);
    await super.init();
  }

  /**
   * `--json` output. Off a terminal it is plain JSON.stringify: oclif's logJson tokenizes the
   * whole document to colour it, one object per token (937 MiB and 5 s of CPU for a
   * 200,000-entry listing, issue 12), and colour is only shown on a terminal anyway.
   */
  override logJson(json: unknown): void {
    // Redacted as a value, then serialised: the JSON stays JSON whatever the secrets look like;
    // C1 and bidi controls in strings as \uXXXX escapes (the same JSON), so no terminal acts on them.
    const redacted = redactSecretsIn(json);
    withoutStreamRedaction(() => process.stdout.write(`${printableJson(JSON.stringify(redacted, null, 2))}\n`));
  }

  /**
   * Human output on standard output: text that came from outside (a profile's description, a
   * server's file name, an audit log's fields) can't drive the terminal: control and bidi
   * characters are shown as escapes (printable-text.ts), line ends stay.
   */
  override log(message = '', ...args: unknown[]): void {
    super.log(printableOutput(message), ...args);
  }

  /** Ends the command with `code` after its result has been printed (the `--json` payload stays whole). */
  protected setExitCode(code: number): void {
    process.exitCode = code;
  }

  protected override async catch(error: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (isParseError(error)) return this.usageError(error);
    // oclif's own exits keep oclif's handling and exit codes.
    if (error instanceof Errors.ExitError || (error.oclif?.exit !== undefined && !isFtpsctlError(error)))
      return super.catch(error);
    const code = isFtpsctlError(error) ? error.code : 'FTPSCTL_ERR_INTERNAL';
    const exit = isFtpsctlError(error) ? exitCodeForError(error) : ExitCode.unexpected;
    const message = isFtpsctlError(error)
      ? error.message
      : `unexpected error: ${error.message} (a bug in ftpsctl; set DEBUG=ftpsctl to see where)`;
    if (!isFtpsctlError(error) && process.env.DEBUG?.includes('ftpsctl'))
      process.stderr.write(`${error.stack ?? ''}\n`);
    if (this.jsonEnabled()) {
      this.logJson({
        error: { code, message, exitCode: exit, ...(isFtpsctlError(error) ? error.details() : undefined) },
      });
    } else {
      // A server's text in the message (a reply) can't drive the terminal.
      process.stderr.write(`ftpsctl: ${printableLines(message)}\n`);
    }
    return this.exit(exit);
  }

  /** A usage error: one line (or one JSON object under `--json`), exit 2, never oclif's internals. */
  private usageError(error: Errors.CLIError): never {
    const commandId = (this.id ?? '').split(':').join(' ');
    const flagNames = Object.keys(this.ctor.flags ?? {});
    const message = usageErrorMessage(error, this.config.bin, commandId, flagNames);
    if (this.jsonEnabled()) this.logJson({ error: { code: 'FTPSCTL_ERR_USAGE', message, exitCode: ExitCode.usage } });
    else process.stderr.write(`${message}\n`);
    return this.exit(ExitCode.usage);
  }
}
