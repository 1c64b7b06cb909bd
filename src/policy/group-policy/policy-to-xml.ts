/**
 * A Policy as a policy XML file (DESIGN.md, "Group policy files"), built with XMLBuilder: what
 * `ftpsctl policy import` writes from a Registry.pol. The text parses back (parsePolicyText) to
 * the same settings, so the imported file resolves like the Registry.pol it came from. Each
 * setting is preceded by a comment naming the registry value it came from. Pure.
 */
import { XMLBuilder } from 'fast-xml-parser';
import { POLICY_NAMESPACE } from '../policy-document';
import type { Policy } from '../policy';
import { MAX_DECLARED_PRIORITY } from '../policy-rank';

// preserveOrder: each node is `{ tag: children, ':@': attributes }`, so comments stay next to their setting.
const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressBooleanAttributes: false,
  commentPropName: '#comment',
});

type OrderedNode = Record<string, unknown>;

/** A setting value as policy-file text: strings as they are, objects (tls.pki.clientCertificate) as JSON. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

const element = (tag: string, children: OrderedNode[], attributes?: Record<string, string>): OrderedNode => ({
  [tag]: children,
  ...(attributes ? { ':@': attributes } : {}),
});
const textNode = (value: string): OrderedNode => ({ '#text': value });
export function policyToXml(
  policy: Pick<Policy, 'name' | 'scope' | 'priority' | 'description' | 'appliesTo' | 'settings'>,
  options: { schemaLocation?: string } = {},
): string {
  const body: OrderedNode[] = [];
  if (policy.description !== undefined) body.push(element('description', [textNode(policy.description)]));
  if (policy.appliesTo.profiles.length > 0 || policy.appliesTo.hosts.length > 0) {
    body.push(
      element('appliesTo', [
        ...policy.appliesTo.profiles.map((p) => element('profile', [textNode(p)])),
        ...policy.appliesTo.hosts.map((h) => element('host', [textNode(h)])),
      ]),
    );
  }
  for (const setting of policy.settings) {
    if (setting.registryValue !== undefined)
      body.push({ '#comment': [textNode(` ${setting.registryValue.replace(/--/g, '- -')} `)] });
    const list = setting.globs ?? (Array.isArray(setting.value) ? (setting.value as unknown[]).map(text) : undefined);
    const children = list ? list.map((v) => element('value', [textNode(v)])) : [textNode(text(setting.value))];
    body.push(element('setting', children, { '@_path': setting.path, '@_enforce': setting.enforce }));
  }
  const root: Record<string, string> = {
    '@_xmlns': POLICY_NAMESPACE,
    ...(options.schemaLocation
      ? {
          '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
          '@_xsi:schemaLocation': `${POLICY_NAMESPACE} ${options.schemaLocation}`,
        }
      : {}),
    '@_name': policy.name,
    '@_scope': policy.scope,
    // A Registry.pol ranks 1000000; as an XML file it takes the highest priority XML allows.
    '@_priority': String(Math.min(policy.priority, MAX_DECLARED_PRIORITY)),
  };
  const built = (builder.build([element('policy', body, root)]) as string).trim();
  return `<?xml version="1.0" encoding="UTF-8"?>\n${built}\n`;
}
