import { Args } from '@oclif/core';
import { SessionCommand, sessionFlags, type DryRunResult } from '../../cli/session-command';
import { renderSessionCheck, type SessionCheckView } from '../../session/render-session-check';

/** Also the `--json` payload; `dataChannelResumed`: whether the probe listing resumed the TLS session. */
export type SessionCheckResult = SessionCheckView;

export default class SessionCheck extends SessionCommand<SessionCheckResult> {
  static override summary = 'Connect, log in, report what was negotiated, and quit.';
  static override description =
    'Reports the TLS version and cipher, the server certificate (subject, issuer, expiry, SHA-256), chain validation, FIPS state, PROT level, CCC, and whether a data connection resumed the TLS session (one listing of the login folder is made to find out). Exit 4 when policy refuses the profile (no connection is made), 5 on a TLS or certificate failure, 6 on a network, login or protocol failure.';
  static override args = { profile: Args.string({ ignoreStdin: true, description: 'profile file', required: true }) };
  static override flags = sessionFlags;

  async run(): Promise<SessionCheckResult | DryRunResult> {
    const { args, flags } = await this.parse(SessionCheck);
    return this.inSession(args.profile, flags, async (managed) => {
      const result: SessionCheckResult = await managed.check();
      this.log(renderSessionCheck(result));
      return result;
    });
  }
}
