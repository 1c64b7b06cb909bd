import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { boundedLines } from '../../audit/bounded-lines';
import { printableJson } from '../../text/printable-text';
import { Args, Flags } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { errnoInWords, FtpsctlError, UsageError } from '../../errors';
import { renderSessionLogCsv, renderSessionLogHtml, renderSessionLogTable } from '../../audit/render-session-log';
import {
  MAX_AUDIT_LINE_BYTES,
  parseTimeBound,
  SESSION_OUTCOMES,
  SessionLogReader,
  type SessionFilter,
  type SessionLogReport,
  type SessionOutcome,
} from '../../audit/session-log-summary';

export default class AuditSessions extends FtpsctlCommand<SessionLogReport> {
  static override summary =
    'List the sessions of audit logs, one per line, with counts per profile, TLS versions, ciphers and failures.';
  static override description = [
    'Reads one or more JSON-lines audit logs (the --audit-log files, or those a policy names), or standard input with "-" or no argument.',
    'Events are joined into sessions by ftpsctl.session_id; the same session found in two logs counts once.',
    'Filters: --profile (globs, repeatable), --outcome (success, failure, refused, incomplete; repeatable), --since and --until (ISO 8601 date or date-time, UTC unless a zone is given, or a duration back from now: 30m, 12h, 7d, 2w) on the session start.',
    'Lines that are not audit events are listed with their file and line number. Field meanings and their Elastic Common Schema names: docs/audit-events.md.',
  ].join(' ');
  static override strict = false;
  static override args = {
    log: Args.string({ ignoreStdin: true, description: 'audit log(s) (JSON lines); "-" or none: standard input' }),
  };
  static override flags = {
    format: Flags.string({ description: 'output format', options: ['table', 'json', 'csv', 'html'], default: 'table' }),
    profile: Flags.string({
      description: 'only sessions of profiles matching this glob (repeatable)',
      multiple: true,
      multipleNonGreedy: true,
    }),
    outcome: Flags.string({
      description: 'only sessions with this outcome (repeatable)',
      options: [...SESSION_OUTCOMES],
      multiple: true,
      multipleNonGreedy: true,
    }),
    since: Flags.string({
      description: 'only sessions that started at or after this time (2026-11-25, 2026-11-25T10:00Z, 24h, 7d)',
    }),
    until: Flags.string({ description: 'only sessions that started before this time' }),
  };
  static override examples = [
    '<%= config.bin %> audit sessions /var/log/ftpsctl/audit.jsonl',
    '<%= config.bin %> audit sessions a.jsonl b.jsonl --outcome failure --outcome refused --since 7d',
    'cat audit.jsonl | <%= config.bin %> audit sessions --profile "payroll*" --format csv',
  ];

  async run(): Promise<SessionLogReport> {
    const { argv, flags } = await this.parse(AuditSessions);
    const logs = (argv as string[]).length > 0 ? (argv as string[]) : ['-'];
    const filter: SessionFilter = {};
    if (flags.profile) filter.profiles = flags.profile;
    if (flags.outcome) filter.outcomes = flags.outcome as SessionOutcome[];
    for (const bound of ['since', 'until'] as const) {
      const text = flags[bound];
      if (text === undefined) continue;
      const date = parseTimeBound(text);
      if (!date)
        throw new UsageError(
          `--${bound} "${text}" is not a time: give an ISO 8601 date or date-time (2026-11-25, 2026-11-25T10:00:00Z) or a duration back from now (30m, 12h, 7d, 2w)`,
        );
      filter[bound] = date;
    }
    if (filter.since && filter.until && filter.since >= filter.until)
      throw new UsageError(
        `--since ${filter.since.toISOString()} is not before --until ${filter.until.toISOString()}; no session can match`,
      );
    if (logs.filter((l) => l === '-').length > 1) throw new UsageError('standard input ("-") can be read only once');
    if (logs.includes('-') && process.stdin.isTTY)
      throw new UsageError(
        'give the audit log files to read, or pipe a log into standard input (cat audit.jsonl | ftpsctl audit sessions)',
      );

    // Check every file before reading any, so a typo in the third log fails before output starts.
    for (const log of logs) {
      if (log === '-') continue;
      const info = await stat(log).catch((error: unknown) => {
        throw new FtpsctlError(
          'FTPSCTL_ERR_PROFILE_UNREADABLE',
          `cannot read the audit log ${log}: ${errnoInWords(error)}`,
          { cause: error },
        );
      });
      if (!info.isFile())
        throw new FtpsctlError('FTPSCTL_ERR_PROFILE_UNREADABLE', `the audit log ${log} is not a file`);
    }
    const reader = new SessionLogReader();
    for (const log of logs) {
      reader.startFile(log);
      const input: Readable = log === '-' ? process.stdin : createReadStream(log);
      // Line by line, each bounded: audit logs grow without bound, and a crash can leave a tail with no line end.
      for await (const item of boundedLines(input, MAX_AUDIT_LINE_BYTES))
        if ('line' in item) reader.add(item.line);
        else reader.addOverlong(item.overlongBytes, MAX_AUDIT_LINE_BYTES);
    }
    const report = reader.report(filter);
    if (!this.jsonEnabled()) {
      if (flags.format === 'json') this.log(printableJson(JSON.stringify(report, null, 2)));
      else if (flags.format === 'csv') process.stdout.write(renderSessionLogCsv(report));
      else if (flags.format === 'html') this.log(renderSessionLogHtml(report));
      else this.log(renderSessionLogTable(report).trimEnd());
    }
    return report;
  }
}
