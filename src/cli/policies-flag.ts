import { Flags } from '@oclif/core';

/** `--policies DIR` (repeatable), shared by every command that resolves profiles. */
export const policiesFlag = Flags.string({
  description: 'policy folder or file (repeatable); default: $FTPSCTL_POLICY_DIR, else /etc/ftpsctl/policies',
  multiple: true,
  // One value per --policies: a repeatable flag must not swallow the arguments after it.
  multipleNonGreedy: true,
});
