import path from 'node:path';
import { Flags } from '@oclif/core';
import { FtpsctlCommand } from '../../cli/ftpsctl-command';
import { errnoInWords } from '../../errors/errno-text';
import { UsageError } from '../../errors/ftpsctl-error';
import { buildAdmx } from '../../policy/group-policy/build-admx';
import { groupPolicyDefinitions, POLICY_KEY } from '../../policy/group-policy/group-policy-definitions';
import { makeFolders } from '../../files/make-folders';
import { writeUserFile } from '../../files/write-user-file';

export interface PolicyAdmxResult {
  admx: string;
  adml: string;
  policies: number;
}

export default class PolicyAdmx extends FtpsctlCommand<PolicyAdmxResult> {
  static override summary = 'Write the Group Policy administrative template (ADMX and en-US ADML) for ftpsctl.';
  static override description = [
    'Writes DIR/ftpsctl.admx and DIR/en-US/ftpsctl.adml, generated from the settings schema: one policy per setting and enforcement kind',
    `(mandatory values under HKLM|HKCU\\${POLICY_KEY}, recommended ones under ...\\Recommended, floors, ceilings and host lists under ...\\Floor, \\Ceiling, \\Allow, \\Deny).`,
    'Copy both into the Group Policy central store (\\\\DOMAIN\\SYSVOL\\DOMAIN\\Policies\\PolicyDefinitions, ftpsctl.adml into its en-US folder).',
    'Existing files of those names are overwritten: they are generated.',
  ].join(' ');
  static override flags = {
    out: Flags.string({
      description: 'folder to write ftpsctl.admx and en-US/ftpsctl.adml to (created if missing)',
      required: true,
    }),
  };
  static override examples = ['<%= config.bin %> policy admx --out PolicyDefinitions'];

  async run(): Promise<PolicyAdmxResult> {
    const { flags } = await this.parse(PolicyAdmx);
    const files = buildAdmx({ version: this.config.version.split('.').slice(0, 2).join('.') });
    const admx = path.join(flags.out, 'ftpsctl.admx');
    const adml = path.join(flags.out, 'en-US', 'ftpsctl.adml');
    try {
      await makeFolders(path.dirname(adml));
    } catch (error) {
      throw new UsageError(
        `cannot write the template to ${flags.out}: ${errnoInWords(error)}; give --out a folder you can write`,
        { cause: error },
      );
    }
    // Generated files: existing ones are replaced, but only if they are regular files.
    const template = { overwrite: true, what: 'the template', exampleName: 'ftpsctl.admx' };
    await writeUserFile(admx, files.admx, template);
    await writeUserFile(adml, files.adml, template);
    const count = groupPolicyDefinitions().length;
    this.log(`wrote ${admx} and ${adml} (${count} policies)`);
    return { admx, adml, policies: count };
  }
}
