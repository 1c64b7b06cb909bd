export { loadPolicySet, defaultPolicyDir, MAX_POLICY_BYTES } from './load-policy-set';
export { loadPoliciesFor } from './policy-sources';
export { parsePolicyText, POLICY_NAMESPACE } from './parse-policy';
export { checkPolicySet, type PolicySetCheck } from './check-policy-set';
export { policyCatalog, type CatalogEntry } from './policy-catalog';
export type { Policy, PolicySetting, PolicyFailure, PolicyProblem } from './policy';
export { formatPolicyProblem } from './policy';
export type { PolicySet } from './policy-set';
