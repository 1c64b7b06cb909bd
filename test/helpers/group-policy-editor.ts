/**
 * What the Group Policy editor stores for an ADMX policy, read from the ADMX text itself (its
 * own keys, value names, enabledValue/disabledValue and elements), so tests of the Registry.pol
 * reader don't just echo the reader's own tables. Behaviour per the ADMX schema reference:
 * a boolean policy writes its enabledValue/disabledValue; an enabled policy with elements writes
 * each element (enum item string, decimal as REG_DWORD, text as REG_SZ, a list as `**delvals.`
 * then values 1..n); a disabled one writes `**del.<valueName>` (a list: `**delvals.`).
 */
import { XMLParser } from 'fast-xml-parser';
import {
  REG_DWORD,
  REG_SZ,
  writeRegistryPol,
  type RegistryRecordToWrite,
} from '../../src/policy/group-policy/registry-pol';

type Node = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ['policy', 'item'].includes(name),
});

export type EditorState = { enabled: true; value?: string | number | string[] } | { enabled: false };

export class GroupPolicyEditor {
  private readonly policies: Map<string, Node>;
  private readonly records: RegistryRecordToWrite[] = [];

  constructor(admxText: string) {
    const document = parser.parse(admxText) as { policyDefinitions: { policies: { policy: Node[] } } };
    this.policies = new Map(document.policyDefinitions.policies.policy.map((p) => [p['@_name'] as string, p]));
  }

  /** The policy's key and value name as the ADMX gives them (for a list: its key). */
  location(name: string): { key: string; valueName?: string } {
    const policy = this.policy(name);
    const element = this.element(policy);
    return {
      key: (element?.node['@_key'] as string | undefined) ?? (policy['@_key'] as string),
      valueName: (policy['@_valueName'] ?? element?.node['@_valueName']) as string | undefined,
    };
  }

  /** Sets one policy to Enabled (with its element's value) or Disabled, as the editor's dialog does. */
  set(name: string, state: EditorState): this {
    const policy = this.policy(name);
    const key = policy['@_key'] as string;
    const element = this.element(policy);
    if (!element) {
      const chosen = (state.enabled ? policy.enabledValue : policy.disabledValue) as { decimal: Node };
      this.records.push({
        key,
        valueName: policy['@_valueName'] as string,
        type: REG_DWORD,
        data: Number(chosen.decimal['@_value']),
      });
      return this;
    }
    const elementKey = (element.node['@_key'] as string | undefined) ?? key;
    const valueName = element.node['@_valueName'] as string | undefined;
    if (element.kind === 'list') {
      this.records.push({ key: elementKey, valueName: '**delvals.', type: REG_SZ, data: ' ' });
      if (state.enabled)
        (state.value as string[]).forEach((v, i) =>
          this.records.push({
            key: elementKey,
            valueName: `${element.node['@_valuePrefix'] ?? ''}${i + 1}`,
            type: REG_SZ,
            data: v,
          }),
        );
      return this;
    }
    if (!valueName) throw new Error(`${name}: element without valueName`);
    if (!state.enabled) {
      this.records.push({ key: elementKey, valueName: `**del.${valueName}`, type: REG_SZ, data: ' ' });
      return this;
    }
    if (element.kind === 'enum') {
      const items = (element.node.item as Node[]).map((item) => (item.value as { string: string }).string);
      if (!items.includes(String(state.value)))
        throw new Error(`${name}: ${String(state.value)} is not one of the ADMX's items ${items.join(', ')}`);
      this.records.push({ key: elementKey, valueName, type: REG_SZ, data: String(state.value) });
    } else if (element.kind === 'decimal') {
      this.records.push({ key: elementKey, valueName, type: REG_DWORD, data: Number(state.value) });
    } else {
      this.records.push({ key: elementKey, valueName, type: REG_SZ, data: String(state.value) });
    }
    return this;
  }

  /** A record the editor would not write (another product's value, or a hand-made one). */
  raw(record: RegistryRecordToWrite): this {
    this.records.push(record);
    return this;
  }

  /** The Registry.pol bytes the editor saves. */
  registryPol(): Buffer {
    return writeRegistryPol(this.records);
  }

  private policy(name: string): Node {
    const policy = this.policies.get(name);
    if (!policy) throw new Error(`no policy ${name} in the ADMX`);
    return policy;
  }

  private element(policy: Node): { kind: string; node: Node } | undefined {
    const elements = policy.elements as Record<string, Node> | undefined;
    if (!elements) return undefined;
    const [kind, node] = Object.entries(elements)[0];
    return { kind, node };
  }
}
