import { Args } from '@oclif/core';
import { renderTable } from '../../text/render-table';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import type { ListEntry } from '../../engine/parse-list';
import { printableLines, printableText } from '../../text/printable-text';
import { optionalRemotePathArg } from '../../cli/remote-path-arg';

export interface SessionLsResult {
  path: string;
  /** MLSD or LIST (transfer.listing; auto falls back to LIST when MLSD is refused). */
  command: 'MLSD' | 'LIST';
  entries: ListEntry[];
  /** Lines of the server's listing that no format could read, as the server sent them. */
  unparsed: string[];
  /** Entries whose time could not be read. */
  warnings: string[];
}

export default class SessionLs extends SessionCommand<SessionLsResult> {
  static override summary = 'List a remote folder (MLSD where the server has it, else LIST).';
  static override description =
    'A listing line that no known format fits (Unix, DOS/IIS, EPLF, IBM i, z/OS) is never dropped: it is shown raw after the table with a warning, and in --json as "unparsed". Names keep every byte: leading and trailing spaces are shown between quotes when present. A listing larger than transfer.maxListingBytes or longer than transfer.maxListingEntries lines is stopped at the limit (exit 6, FTPSCTL_ERR_TRANSFER).';
  static override args = {
    profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }),
    path: optionalRemotePathArg('remote folder (default: the login folder)'),
  };
  static override flags = sessionFlags;

  async run(): Promise<SessionLsResult | DryRunResult> {
    const { args, flags } = await this.parse(SessionLs);
    return this.inSession(args.profile, flags, async (managed) => {
      const { command, entries, unparsed, warnings } = await managed.listing(args.path);
      // A name that starts or ends with a space is quoted, so what is shown can be typed back (inside the quotes).
      const shownName = (name: string): string =>
        /^\s|\s$/.test(name) ? `"${printableText(name)}"` : printableText(name);
      this.log(
        renderTable(
          ['type', 'size', 'modified (UTC)', 'name'],
          entries.map((e) => [
            e.type === 'directory' ? 'dir' : e.type,
            e.size === undefined ? '' : String(e.size),
            e.modifiedAt ? e.modifiedAt.toISOString().replace('T', ' ').slice(0, 19) : '',
            `${shownName(e.name)}${e.target !== undefined ? ` -> ${printableText(e.target)}` : ''}`,
          ]),
        ),
      );
      for (const warning of warnings) this.logToStderr(`ftpsctl: warning: ${printableLines(warning)}`);
      if (unparsed.length > 0) {
        this.logToStderr(
          `ftpsctl: warning: ${unparsed.length} line${unparsed.length === 1 ? '' : 's'} of the ${command} listing fit no known format; shown as the server sent ${unparsed.length === 1 ? 'it' : 'them'}:`,
        );
        for (const line of unparsed) this.log(printableText(line));
      }
      return { path: args.path ?? '.', command, entries, unparsed, warnings };
    });
  }
}
