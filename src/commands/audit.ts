import { Flags } from '@oclif/core';
import type { AuditReport } from '../audit/audit-report';
import { buildAuditReport } from '../audit/build-audit-report';
import { renderAuditCsv } from '../audit/render-audit-csv';
import { renderAuditHtml } from '../audit/render-audit-html';
import { orderAuditReport, renderAuditJson } from '../audit/render-audit-json';
import { renderAuditTable } from '../audit/render-audit-table';
import { FtpsctlCommand } from '../cli/ftpsctl-command';
import { policiesFlag, policiesOnlyFlag } from '../cli/policies-flag';
import { errnoCode, errnoInWords } from '../errors/errno-text';
import { FtpsctlError } from '../errors/ftpsctl-error';
import { writeUserFile } from '../files/write-user-file';
import { printableJson } from '../text/printable-text';
import { loadCommandPolicies, simulationNotice, unmanagedNotice } from '../policy/policy-sources';

const RENDERERS = {
  table: renderAuditTable,
  json: renderAuditJson,
  csv: renderAuditCsv,
  html: renderAuditHtml,
} as const;

export default class Audit extends FtpsctlCommand<AuditReport> {
  static override summary =
    'Resolve every profile of a folder against the policies and report the decisions, for auditors.';
  static override description =
    'One row per profile (*.json in --profiles): its decision (allow, refuse or invalid), the settings a policy changed, and its violations. json and html also give every setting with where its value came from; html is one self-contained file to open offline. Refused and invalid profiles are findings of the report, not errors: the exit code is 0 whenever the report was written. Exits 3 when the profiles folder cannot be read.';
  static override flags = {
    profiles: Flags.string({ description: 'folder of session profiles (*.json)', required: true }),
    policies: policiesFlag,
    'policies-only': policiesOnlyFlag,
    format: Flags.option({
      description: 'report format',
      options: ['table', 'json', 'csv', 'html'] as const,
      default: 'table',
    })(),
    out: Flags.string({ description: 'write the report to this file (overwritten) instead of standard output' }),
  };
  static override examples = [
    '<%= config.bin %> audit --profiles ~/.config/ftpsctl/profiles --policies /etc/ftpsctl/policies',
    '<%= config.bin %> audit --profiles profiles/ --format html --out audit.html',
    '<%= config.bin %> audit --profiles profiles/ --format csv > audit.csv',
  ];

  async run(): Promise<AuditReport> {
    const { flags } = await this.parse(Audit);
    const policies = await loadCommandPolicies(flags);
    const notice = unmanagedNotice(policies);
    if (notice) process.stderr.write(`${notice}\n`);
    const simulation = simulationNotice(policies);
    if (simulation && !this.jsonEnabled() && (flags.format === 'csv' || flags.format === 'html'))
      process.stderr.write(`${simulation}\n`);
    const report = await buildAuditReport(flags.profiles, policies).catch((error: unknown) => {
      throw profilesFolderError(flags.profiles, error);
    });
    // --json means the report as JSON on standard output, whatever --format says.
    const format = this.jsonEnabled() ? 'json' : flags.format;
    const rendered = RENDERERS[format](report);
    // The table says in its first line that it is a simulation; json carries "simulation": true.
    const text = simulation && format === 'table' ? `${simulation}\n${rendered}` : rendered;
    if (flags.out) {
      await writeReport(flags.out, text);
      this.log(`wrote the ${format} audit report of ${report.summary.profiles} profiles to ${flags.out}`);
    } else {
      // this.log adds the final newline back (after csv's CR: the line still ends in CRLF); it shows
      // control characters as escapes, which JSON must carry as its own \uXXXX ones to stay JSON.
      this.log((format === 'json' ? printableJson(text) : text).slice(0, -1));
    }
    return orderAuditReport(report);
  }
}

/** readdir of the profiles folder is the only step that throws for bad input. */
function profilesFolderError(dir: string, error: unknown): unknown {
  const code = errnoCode(error);
  if ((error as NodeJS.ErrnoException).syscall !== 'scandir') return error;
  const why =
    code === 'ENOENT'
      ? 'not found; check the path given to --profiles'
      : code === 'ENOTDIR'
        ? 'is not a folder; give the folder that holds the profiles (*.json)'
        : `cannot be read: ${errnoInWords(error)}`;
  return new FtpsctlError('FTPSCTL_ERR_PROFILE_UNREADABLE', `profiles folder ${dir} ${why}`, { cause: error });
}

function writeReport(file: string, text: string): Promise<void> {
  // A report is regenerated: an existing file is replaced, as before.
  return writeUserFile(file, text, { overwrite: true, what: 'the report', exampleName: 'audit.html' });
}
