/**
 * Where a policy value was written, as one text: `policies/corp.xml:6` for an XML policy file,
 * `…/Machine/Registry.pol: Software\Policies\ftpsctl!tls.fipsMode` for a value Group Policy
 * stored in a Registry.pol (which has no lines).
 */
export function describeOrigin(origin: { file?: string; line?: number; registryValue?: string }): string {
  if (origin.registryValue !== undefined) return `${origin.file ?? ''}: ${origin.registryValue}`;
  return origin.line === undefined ? (origin.file ?? '') : `${origin.file ?? ''}:${origin.line}`;
}
