import { Args } from '@oclif/core';
import { renderTable } from '../../cli/render-table';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import type { ListEntry } from '../../engine/parse-list';

export interface SessionLsResult {
  path: string;
  entries: ListEntry[];
}

export default class SessionLs extends SessionCommand<SessionLsResult> {
  static override summary = 'List a remote folder (MLSD where the server has it, else LIST).';
  static override args = {
    profile: Args.string({ description: 'profile file', required: true }),
    path: Args.string({ description: 'remote folder (default: the login folder)' }),
  };
  static override flags = sessionFlags;

  async run(): Promise<SessionLsResult | DryRunResult> {
    const { args, flags } = await this.parse(SessionLs);
    return this.inSession(args.profile, flags, async (managed) => {
      const entries = await managed.session.list(args.path);
      this.log(
        renderTable(
          ['type', 'size', 'modified (UTC)', 'name'],
          entries.map((e) => [e.type === 'directory' ? 'dir' : e.type, e.size === undefined ? '' : String(e.size), e.modifiedAt ? e.modifiedAt.toISOString().replace('T', ' ').slice(0, 19) : '', e.name]),
        ),
      );
      return { path: args.path ?? '.', entries };
    });
  }
}
