/**
 * Rules that must hold on the resolved settings, whoever set each value (DESIGN.md, "fail
 * closed"). Checked after merging because a policy can make a valid profile break one:
 * a mandatory FIPS mode meets a profile that turned validation off, a TLS 1.3 floor meets
 * a TLS 1.2 ceiling, a CRL floor meets a profile without CRL files.
 */
import { compareValues, policyCatalog } from '../policy/policy-catalog';
import type { ResolvedSetting, Violation } from './resolution';
import { describeOrigin } from '../policy/describe-origin';

type Settings = Record<string, ResolvedSetting | undefined>;

interface InvariantRule {
  /** Every setting the rule reads; the first is where a violation is reported. */
  paths: string[];
  broken(value: (path: string) => unknown): boolean;
  message(describe: (path: string) => string): string;
}

const nonEmpty = (value: unknown): boolean => Array.isArray(value) && value.length > 0;

const RULES: InvariantRule[] = [
  {
    paths: ['tls.validateCertificateChain', 'tls.pki.pinnedSha256', 'tls.pki.pinnedPublicKeySha256'],
    broken: (v) =>
      v('tls.validateCertificateChain') === false &&
      !nonEmpty(v('tls.pki.pinnedSha256')) &&
      !nonEmpty(v('tls.pki.pinnedPublicKeySha256')),
    message: (d) =>
      `tls.validateCertificateChain is ${d('tls.validateCertificateChain')} but tls.pki.pinnedSha256 and tls.pki.pinnedPublicKeySha256 are empty: an unvalidated host must be authenticated by a pin; add a certificate fingerprint (tls.pki.pinnedSha256) or a public key pin (tls.pki.pinnedPublicKeySha256, sha256//BASE64) or turn validation on`,
  },
  {
    paths: ['tls.enabled', 'tls.fipsMode'],
    broken: (v) => v('tls.fipsMode') === true && v('tls.enabled') !== true,
    message: (d) =>
      `tls.fipsMode is ${d('tls.fipsMode')} but tls.enabled is ${d('tls.enabled')}: FIPS mode needs TLS; set tls.enabled to true`,
  },
  {
    // Implicit FTPS asked for, TLS off: the engine would connect in clear; the request is for TLS.
    paths: ['tls.implicit', 'tls.enabled'],
    broken: (v) => v('tls.implicit') === true && v('tls.enabled') === false,
    message: (d) =>
      `tls.implicit is ${d('tls.implicit')} but tls.enabled is ${d('tls.enabled')}: implicit FTPS is TLS from the first byte (port 990), so it needs TLS; set tls.enabled to true, or remove tls.implicit`,
  },
  {
    paths: ['tls.validateCertificateChain', 'tls.fipsMode'],
    broken: (v) => v('tls.fipsMode') === true && v('tls.validateCertificateChain') === false,
    message: (d) =>
      `tls.fipsMode is ${d('tls.fipsMode')} but tls.validateCertificateChain is ${d('tls.validateCertificateChain')}: FIPS mode always validates the certificate chain; remove "validateCertificateChain": false`,
  },
  {
    paths: ['tls.requireValidatedCryptoModule', 'tls.fipsMode'],
    broken: (v) => v('tls.requireValidatedCryptoModule') === true && v('tls.fipsMode') !== true,
    message: (d) =>
      `tls.requireValidatedCryptoModule is ${d('tls.requireValidatedCryptoModule')} but tls.fipsMode is ${d('tls.fipsMode')}: a validated crypto module is a FIPS-mode requirement; set tls.fipsMode to true`,
  },
  {
    paths: ['tls.maxVersion', 'tls.minVersion'],
    broken: (v) => {
      const versions = policyCatalog().get('tls.minVersion');
      return versions !== undefined && compareValues(versions, v('tls.minVersion'), v('tls.maxVersion')) > 0;
    },
    message: (d) =>
      `tls.minVersion is ${d('tls.minVersion')} but tls.maxVersion is ${d('tls.maxVersion')}: no TLS version is left to negotiate; raise tls.maxVersion or lower tls.minVersion`,
  },
  {
    paths: ['tls.pki.revocation', 'tls.pki.crlFiles'],
    broken: (v) => v('tls.pki.revocation') === 'crl' && !nonEmpty(v('tls.pki.crlFiles')),
    message: (d) =>
      `tls.pki.revocation is ${d('tls.pki.revocation')} but tls.pki.crlFiles is empty: add the CRL files to check against (tls.pki.crlFiles)`,
  },
  {
    paths: ['proxy.enabled', 'proxy.host', 'proxy.port'],
    broken: (v) => v('proxy.enabled') === true && (v('proxy.host') === undefined || v('proxy.port') === undefined),
    message: (d) =>
      `proxy.enabled is ${d('proxy.enabled')} but proxy.host or proxy.port is not set: add the proxy's host and port to the profile`,
  },
];

/** "true (mandatory in policy fips, policies/fips.xml:5)" or "false (profile)". */
function describe(setting: ResolvedSetting | undefined): string {
  if (!setting || setting.value === undefined) return 'unset';
  const value = JSON.stringify(setting.value);
  if (setting.source === 'policy')
    return `${value} (${setting.enforce} in policy ${setting.policy}, ${describeOrigin(setting)})`;
  return `${value} (${setting.source})`;
}

/** A broken rule: its violation, and the settings its message describes (each with its source). */
export interface BrokenInvariant {
  violation: Violation;
  described: string[];
}

/**
 * The broken rules. With `decidedByPolicyOnly`, a rule counts only when policies alone decide
 * every setting it reads (so `policy validate` reports what no profile could repair).
 */
export function checkInvariants(settings: Settings, options: { decidedByPolicyOnly?: boolean } = {}): Violation[] {
  return brokenInvariants(settings, options).map((broken) => broken.violation);
}

/** checkInvariants, with the settings each violation's message describes (to name the policies involved). */
export function brokenInvariants(
  settings: Settings,
  options: { decidedByPolicyOnly?: boolean } = {},
): BrokenInvariant[] {
  const out: BrokenInvariant[] = [];
  for (const rule of RULES) {
    if (options.decidedByPolicyOnly && !rule.paths.every((path) => settings[path]?.source === 'policy')) continue;
    if (!rule.broken((path) => settings[path]?.value)) continue;
    const described: string[] = [];
    const message = rule.message((path) => {
      described.push(path);
      return describe(settings[path]);
    });
    // Point at the policy that set one of the rule's settings, if any: that is where an admin looks.
    const fromPolicy = rule.paths.map((path) => settings[path]).find((s) => s?.source === 'policy');
    const violation: Violation = fromPolicy
      ? {
          path: rule.paths[0],
          message,
          policy: fromPolicy.policy,
          file: fromPolicy.file,
          line: fromPolicy.line,
          column: fromPolicy.column,
          ...(fromPolicy.registryValue !== undefined ? { registryValue: fromPolicy.registryValue } : {}),
        }
      : { path: rule.paths[0], message };
    out.push({ violation, described });
  }
  return out;
}
