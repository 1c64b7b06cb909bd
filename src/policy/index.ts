export { loadPolicySet, defaultPolicyDir, MAX_POLICY_BYTES } from './load-policy-set';
export {
  loadPoliciesFor,
  loadSessionPolicies,
  loadSimulationPolicies,
  loadCommandPolicies,
  machinePolicySource,
  unmanagedNotice,
  MACHINE_OVERRIDE_VARIABLE,
} from './policy-sources';
export { canonicalHost, type CanonicalHost } from './canonical-host';
export { parseHostPattern, type HostPattern } from './host-pattern';
export { parsePolicyText } from './parse-policy';
export { POLICY_NAMESPACE } from './policy-document';
export { policyCatalog, type CatalogEntry } from './policy-catalog';
export type { Policy, PolicySetting, PolicyFailure, PolicyProblem } from './policy';
export { formatPolicyProblem } from './policy';
export type { PolicySet, PolicySourceSpec } from './policy-set';
