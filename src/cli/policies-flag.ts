import { Flags } from '@oclif/core';

/** `--policies DIR` (repeatable), shared by every command that resolves profiles: ADDS a source, never removes the machine's. */
export const policiesFlag = Flags.string({
  description:
    'add a policy folder or file (repeatable; its files rank as user scope at most); the machine folder (/etc/ftpsctl/policies) and $FTPSCTL_POLICY_DIR apply as well',
  multiple: true,
  // One value per --policies: a repeatable flag must not swallow the arguments after it.
  multipleNonGreedy: true,
});

/** `--policies-only DIR` (resolve, audit, policy validate): a what-if simulation without the machine's policies. Sessions have no such flag. */
export const policiesOnlyFlag = Flags.string({
  description:
    "simulation: evaluate only these policy folders or files (repeatable), ranked as they declare, without the machine's policies; the output says it is a simulation",
  multiple: true,
  multipleNonGreedy: true,
  exclusive: ['policies'],
});
