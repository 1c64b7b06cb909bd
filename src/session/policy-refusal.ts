/** A session refused by policy, before any connection: exit 4 (or 3 when an unusable policy file is the reason). */
import { FtpsctlError } from '../errors';
import type { Resolution, Violation } from '../resolve/resolution';

export class PolicyRefusal extends FtpsctlError {
  readonly violations: Violation[];

  constructor(resolution: Resolution) {
    const brokenPolicy = resolution.violations.some((v) => v.unusablePolicy);
    const reasons = resolution.violations.map((v) => v.message).join('; ');
    super(
      brokenPolicy ? 'FTPSCTL_ERR_POLICY_INVALID' : 'FTPSCTL_ERR_REFUSED_BY_POLICY',
      `profile "${resolution.profile}" is refused by policy, no connection was opened: ${reasons}`,
    );
    this.violations = resolution.violations;
  }

  override details(): Record<string, unknown> {
    return { violations: this.violations };
  }
}
