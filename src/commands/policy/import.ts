import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { errnoInWords } from '../../errors/errno-text';
import { UsageError } from '../../errors/ftpsctl-error';
import { ExitCode } from '../../errors/exit-codes';
import { policyToXml } from '../../policy/group-policy/policy-to-xml';
import { MAX_DECLARED_PRIORITY } from '../../policy/policy-rank';
import { registryPolScope } from '../../policy/group-policy/read-registry-pol';
import { groupPolicyName, registryPolToPolicy } from '../../policy/group-policy/registry-policy';
import { formatPolicyProblem, type Policy, type PolicyProblem } from '../../policy/policy';
import { makeFolders } from '../../files/make-folders';
import { readUserFile } from '../../files/read-user-file';
import { writeUserFile } from '../../files/write-user-file';

export interface PolicyImportResult {
  file: string;
  out?: string;
  scope: 'machine' | 'user';
  policy?: Pick<Policy, 'name' | 'scope' | 'priority' | 'settings'>;
  problems: PolicyProblem[];
  warnings: string[];
}

export default class PolicyImport extends FtpsctlCommand<PolicyImportResult> {
  static override summary = 'Turn a Group Policy Registry.pol into the equivalent ftpsctl policy XML file.';
  static override description =
    'Reads the ftpsctl values of a Registry.pol (PReg version 1, as Group Policy stores them) and writes a policy file that `policy validate` accepts and that resolves like the Registry.pol: same settings, same scope, and priority 999999, the highest a policy file may declare (the Registry.pol itself ranks 1000000, above every policy file of its scope). Each setting is preceded by a comment naming its registry value. Values of other products are not read; unknown ftpsctl values are reported with their byte offset. Exits 3 when the Registry.pol is malformed or holds a value ftpsctl cannot use.';
  static override args = {
    file: Args.string({ ignoreStdin: true, description: 'the Registry.pol to read', required: true }),
  };
  static override flags = {
    scope: Flags.option({
      description: 'scope of the policy written; default: user for …/User/Registry.pol, else machine',
      options: ['machine', 'user'] as const,
    })(),
    out: Flags.string({ description: 'policy file to write (default: standard output)' }),
    name: Flags.string({ description: 'policy name (default: group-policy-machine or group-policy-user)' }),
    force: Flags.boolean({ description: 'overwrite --out if it exists' }),
  };
  static override examples = [
    '<%= config.bin %> policy import C:\\Windows\\System32\\GroupPolicy\\Machine\\Registry.pol --out 50-group-policy.xml',
    '<%= config.bin %> policy import Registry.pol --scope user',
  ];

  async run(): Promise<PolicyImportResult> {
    const { args, flags } = await this.parse(PolicyImport);
    const scope = flags.scope ?? registryPolScope(args.file);
    if (flags.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(flags.name)) {
      throw new UsageError(
        `--name "${flags.name}" must be 1 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    // A regular file under the cap, or FTPSCTL_ERR_INPUT_FILE (exit 3): never a FIFO or a device read forever.
    const { bytes } = await readUserFile(args.file, 'registryPol', { label: 'policy import' });
    const result = registryPolToPolicy(bytes, args.file, scope);
    for (const warning of result.warnings) process.stderr.write(`ftpsctl: note: ${warning}\n`);
    if (!result.policy) {
      for (const problem of result.problems) process.stderr.write(`${formatPolicyProblem(problem)}\n`);
      if (!this.jsonEnabled())
        process.stderr.write(
          `ftpsctl: ${args.file} cannot be imported (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}); nothing written\n`,
        );
      this.setExitCode(ExitCode.invalidInput);
      return { file: args.file, scope, problems: result.problems, warnings: result.warnings };
    }
    const policy: Policy = {
      ...result.policy,
      // As XML it can declare at most 999999 (a Registry.pol itself ranks 1000000): what the file says, the message says.
      priority: Math.min(result.policy.priority, MAX_DECLARED_PRIORITY),
      name: flags.name ?? groupPolicyName(scope),
      description: `Imported from ${args.file} (Group Policy, ${scope} scope) by ftpsctl policy import.`,
    };
    const xml = policyToXml(policy);
    if (flags.out) {
      // Missing folders are created, as policy admx --out does.
      await makeFolders(path.dirname(path.resolve(flags.out))).catch((error: unknown) => {
        throw new UsageError(`cannot write the policy to ${flags.out}: ${errnoInWords(error)}`, { cause: error });
      });
      await writeUserFile(flags.out, xml, {
        overwrite: flags.force,
        mode: 0o644,
        what: 'the policy',
        exampleName: '50-group-policy.xml',
      });
      this.log(
        `wrote ${flags.out}: policy ${policy.name} (${scope} scope, priority ${policy.priority}), ${policy.settings.length} setting${policy.settings.length === 1 ? '' : 's'}`,
      );
    } else if (!this.jsonEnabled()) {
      process.stdout.write(xml);
    }
    return {
      file: args.file,
      ...(flags.out ? { out: flags.out } : {}),
      scope,
      policy: { name: policy.name, scope: policy.scope, priority: policy.priority, settings: policy.settings },
      problems: [],
      warnings: result.warnings,
    };
  }
}
