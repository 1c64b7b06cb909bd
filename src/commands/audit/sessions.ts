import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Args, Flags } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { FtpsctlError } from '../../errors';
import { renderSessionLogHtml, renderSessionLogTable } from '../../audit/render-session-log';
import { SessionLogSummariser, type SessionLogSummary } from '../../audit/session-log-summary';

export default class AuditSessions extends FtpsctlCommand<SessionLogSummary> {
  static override summary = 'Summarise a session audit log: sessions per profile, TLS versions and ciphers seen, failures by code.';
  static override description = 'Reads the JSON-lines log that sessions append to (--audit-log, or the file a policy names). Lines that are not audit events are listed with their numbers.';
  static override args = { log: Args.string({ description: 'audit log (JSON lines)', required: true }) };
  static override flags = { format: Flags.string({ description: 'output format', options: ['table', 'json', 'html'], default: 'table' }) };

  async run(): Promise<SessionLogSummary> {
    const { args, flags } = await this.parse(AuditSessions);
    const info = await stat(args.log).catch((error: unknown) => {
      throw new FtpsctlError('FTPSCTL_ERR_PROFILE_UNREADABLE', `cannot read the audit log ${args.log}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (error as Error).message}`, { cause: error });
    });
    if (!info.isFile()) throw new FtpsctlError('FTPSCTL_ERR_PROFILE_UNREADABLE', `${args.log} is not a file`);
    const summariser = new SessionLogSummariser(args.log);
    // Line by line: audit logs grow without bound.
    for await (const line of createInterface({ input: createReadStream(args.log, 'utf8'), crlfDelay: Infinity })) summariser.add(line);
    const summary = summariser.result();
    if (!this.jsonEnabled()) {
      if (flags.format === 'json') this.log(JSON.stringify(summary, null, 2));
      else if (flags.format === 'html') this.log(renderSessionLogHtml(summary));
      else this.log(renderSessionLogTable(summary).trimEnd());
    }
    return summary;
  }
}
