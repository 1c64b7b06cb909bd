/** Renders the settings reference (Markdown) from the profile schema. */
import { listSettings } from '../src/settings/settings-catalog';
import type { SchemaNode } from '../src/settings/profile-schema';
import { derefNode } from '../src/settings/profile-schema';

function describeType(node: SchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  if (node.anyOf) return 'secret source: `{"env": "VAR"}` \\| `{"file": "path"}` \\| `"prompt"`';
  if (node.type === 'array') return `list of ${node.items ? describeType(derefNode(node.items)) : 'values'}`;
  if (node.type === 'integer' && node.minimum !== undefined) return `integer ${node.minimum}–${node.maximum}`;
  if (node.type === 'object') return 'object';
  return node.type ? String(node.type) : 'value';
}

function describeDefault(node: SchemaNode): string {
  if (node['x-default']) return node['x-default'];
  if (node.default !== undefined) return `\`${JSON.stringify(node.default)}\``;
  return '—';
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function renderSettingsReference(): string {
  const rows = listSettings().map((s) => {
    const policy = s.schema['x-policy'];
    const enforce = policy ? policy.enforce.join(', ') : 'not managed';
    return `| \`${s.path}\` | ${describeType(s.schema)} | ${describeDefault(s.schema)} | ${enforce} | ${cell(s.schema.description ?? '')} |`;
  });
  return ['| Setting | Values | Default | Policy can enforce | Meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
