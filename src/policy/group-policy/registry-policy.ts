/**
 * What a Registry.pol says about ftpsctl, as the same Policy object an XML policy file gives.
 * Records are applied in file order to a virtual registry (keys and value names are
 * case-insensitive; `**del.NAME`, `**delvals.`, `**DeleteValues`, `**DeleteKeys` and
 * `**soft.NAME` honoured), then each ADMX policy (group-policy-definitions.ts) is looked up by
 * its key and value name. Values outside Software\Policies\ftpsctl belong to other products and
 * are not looked at; an unknown value under it is a warning with its byte offset; a value ftpsctl
 * knows but cannot use (wrong type, out of range) makes the file unusable, like an invalid XML
 * setting. Pure: bytes in, result out.
 */
import { closestMatch } from '../../text/closest-match';
import { globProblem } from '../glob';
import { sha256Hex } from '../policy-bytes';
import type { Policy, PolicyProblem, PolicySetting } from '../policy';
import { coerceValue } from '../policy-catalog';
import {
  groupPolicyDefinitions,
  POLICY_KEY,
  registryValueLabel,
  type GroupPolicyDefinition,
} from './group-policy-definitions';
import { parseRegistryPol, REG_DWORD, REG_QWORD, REG_SZ, typeName, type RegistryRecord } from './registry-pol';
import { MAX_DECLARED_PRIORITY } from '../policy-rank';

/**
 * A Registry.pol's rank within its scope. Group Policy has already merged every GPO into the
 * file, and it is the domain's word: it outranks local XML policy files of the same scope
 * (whose priorities go up to 999999), as Chromium ranks platform policy above its other sources.
 */
export const GROUP_POLICY_PRIORITY = MAX_DECLARED_PRIORITY + 1;

export type GroupPolicyScope = 'machine' | 'user';

/** The policy name a Registry.pol gets: `group-policy-machine` or `group-policy-user`. */
export const groupPolicyName = (scope: GroupPolicyScope): string => `group-policy-${scope}`;

export interface RegistryPolicyResult {
  /** Set when the file is usable (it may hold no ftpsctl value at all: then `settings` is empty). */
  policy?: Policy;
  /** Why the file is unusable: each names the byte offset. */
  problems: PolicyProblem[];
  /** Values under Software\Policies\ftpsctl that ftpsctl does not know, and ignored special records. */
  warnings: string[];
  sha256: string;
}

interface StoredValue {
  record: RegistryRecord;
}

interface StoredKey {
  /** As first written, for messages. */
  key: string;
  values: Map<string, StoredValue>;
}

const lower = (text: string): string => text.toLowerCase();

function isOurs(key: string): boolean {
  const k = lower(key);
  const root = lower(POLICY_KEY);
  return k === root || k.startsWith(`${root}\\`);
}

/** Applies the records to a virtual registry, as Group Policy's client side does. */
function applyRecords(
  records: readonly RegistryRecord[],
  warn: (record: RegistryRecord, message: string) => void,
): Map<string, StoredKey> {
  const keys = new Map<string, StoredKey>();
  const keyFor = (key: string): StoredKey => {
    let stored = keys.get(lower(key));
    if (!stored) keys.set(lower(key), (stored = { key, values: new Map() }));
    return stored;
  };
  for (const record of records) {
    if (!isOurs(record.key)) {
      // A **DeleteKeys on a key above ours (Software\Policies;**DeleteKeys;ftpsctl) deletes ours too.
      if (lower(record.valueName) === '**deletekeys') deleteKeys(keys, record);
      continue;
    }
    const stored = keyFor(record.key);
    const name = record.valueName;
    const special = /^\*\*/.test(name) ? lower(name) : undefined;
    if (special === undefined) {
      // A record without a value name only creates the key.
      if (name.trim() !== '') stored.values.set(lower(name), { record });
    } else if (special.startsWith('**del.')) {
      stored.values.delete(lower(name.slice('**del.'.length)));
    } else if (special === '**delvals.') {
      stored.values.clear();
    } else if (special === '**deletevalues') {
      for (const value of textOf(record).split(';')) if (value !== '') stored.values.delete(lower(value));
    } else if (special === '**deletekeys') {
      deleteKeys(keys, record);
    } else if (special.startsWith('**soft.')) {
      const target = lower(name.slice('**soft.'.length));
      if (!stored.values.has(target))
        stored.values.set(target, { record: { ...record, valueName: name.slice('**soft.'.length) } });
    } else {
      warn(
        record,
        `special record ${record.key}!${name} is not one ftpsctl knows (**del., **delvals., **DeleteValues, **DeleteKeys, **soft.); ignored`,
      );
    }
  }
  return keys;
}

/** `**DeleteKeys`: each `;`-separated subkey of the record's key, with every key below it. */
function deleteKeys(keys: Map<string, StoredKey>, record: RegistryRecord): void {
  for (const sub of textOf(record).split(';')) {
    if (sub === '') continue;
    const prefix = lower(`${record.key.replace(/\\+$/, '')}\\${sub}`);
    for (const k of [...keys.keys()]) if (k === prefix || k.startsWith(`${prefix}\\`)) keys.delete(k);
  }
}

function textOf(record: RegistryRecord): string {
  return typeof record.data === 'string' ? record.data : '';
}

/** The label provenance shows for a value read from a record: `Software\Policies\ftpsctl!tls.fipsMode`. */
function recordLabel(record: RegistryRecord): string {
  return `${record.key}!${record.valueName}`;
}

/** One ADMX policy's registry value as the setting's typed value, or why it cannot be. */
function convert(definition: GroupPolicyDefinition, record: RegistryRecord): { value: unknown } | { problem: string } {
  const got = `is ${typeName(record.type)}${typeof record.data === 'number' || typeof record.data === 'bigint' || typeof record.data === 'string' ? ` ${JSON.stringify(typeof record.data === 'bigint' ? record.data.toString() : record.data)}` : ''}`;
  switch (definition.kind) {
    case 'boolean':
      if (record.type === REG_DWORD && (record.data === 0 || record.data === 1)) return { value: record.data === 1 };
      return { problem: `${got}; ${definition.name} is stored as REG_DWORD 1 (enabled) or 0 (disabled)` };
    case 'decimal': {
      const number =
        record.type === REG_DWORD
          ? (record.data as number)
          : record.type === REG_QWORD
            ? Number(record.data as bigint)
            : undefined;
      if (number === undefined) return { problem: `${got}; ${definition.name} is stored as REG_DWORD` };
      return coerceValue(definition.entry, [String(number)]);
    }
    case 'enum':
    case 'text':
      if (record.type !== REG_SZ) return { problem: `${got}; ${definition.name} is stored as REG_SZ` };
      // Trimmed as policy XML trims text: a blank typed after a value in the editor is not part of it, and import stays equivalent.
      return coerceValue(definition.entry, [(record.data as string).trim()]);
    case 'list':
      return { problem: 'a list is read from its key' };
  }
}

/**
 * A Registry.pol's bytes -> the ftpsctl Policy it holds. `file` is the path shown in provenance;
 * `scope` comes from where the file is (policyScopeOfRegistryPol).
 */
export function registryPolToPolicy(bytes: Buffer, file: string, scope: GroupPolicyScope): RegistryPolicyResult {
  const sha256 = sha256Hex(bytes);
  const parsed = parseRegistryPol(bytes);
  if (parsed.problems.length > 0) {
    return {
      problems: parsed.problems.map((p) => ({
        file,
        line: null,
        column: null,
        message: `at byte ${p.offset}: ${p.message}`,
      })),
      warnings: [],
      sha256,
    };
  }
  return registryRecordsToPolicy(parsed.records, file, scope, sha256);
}

/**
 * Registry records (from a Registry.pol, or later from the live registry: the same key, value
 * name, type and data) -> the ftpsctl Policy. `file` names the source in provenance, `sha256`
 * ties audit events to its exact content. `offset` of each record is what messages cite.
 */
export function registryRecordsToPolicy(
  records: readonly RegistryRecord[],
  file: string,
  scope: GroupPolicyScope,
  sha256: string,
): RegistryPolicyResult {
  const problems: PolicyProblem[] = [];
  const warnings: string[] = [];
  const problemAt = (offset: number, message: string): void => {
    problems.push({ file, line: null, column: null, message: `at byte ${offset}: ${message}` });
  };
  const keys = applyRecords(records, (record, message) =>
    warnings.push(`${file} at byte ${record.offset}: ${message}`),
  );
  const used = new Set<RegistryRecord>();
  const settings: PolicySetting[] = [];
  for (const definition of groupPolicyDefinitions()) {
    const stored = keys.get(lower(definition.key));
    if (!stored) continue;
    if (definition.kind === 'list') {
      const values = [...stored.values.values()]
        .filter((v) => /^[0-9]+$/.test(v.record.valueName))
        .sort((a, b) => Number(a.record.valueName) - Number(b.record.valueName));
      if (values.length === 0) continue; // disabled: Group Policy wrote **delvals. and nothing else
      const bad = values.find((v) => v.record.type !== REG_SZ);
      values.forEach((v) => used.add(v.record));
      const first = values[0].record;
      const label = registryValueLabel(definition);
      if (bad) {
        problemAt(
          bad.record.offset,
          `${recordLabel(bad.record)} is ${typeName(bad.record.type)}; the entries of ${definition.name} are REG_SZ`,
        );
        continue;
      }
      const texts = values.map((v) => (v.record.data as string).trim());
      if (definition.enforce === 'allow' || definition.enforce === 'deny') {
        // Each list's own rule (ports, user names, file paths, pins; hosts), as policy XML checks it.
        const problemOf = (text: string): string | undefined => globProblem(text, 'host', definition.settingPath);
        const badGlob = values.find((v) => problemOf((v.record.data as string).trim()) !== undefined);
        if (badGlob) {
          problemAt(
            badGlob.record.offset,
            `${recordLabel(badGlob.record)}: ${definition.settingPath} ${definition.enforce} glob "${badGlob.record.data as string}" ${problemOf(badGlob.record.data as string) ?? ''}`,
          );
          continue;
        }
        settings.push({
          path: definition.settingPath,
          enforce: definition.enforce,
          globs: texts,
          line: 0,
          column: 0,
          registryValue: label,
          offset: first.offset,
        });
        continue;
      }
      const coerced = coerceValue(definition.entry, texts);
      if ('problem' in coerced) problemAt(first.offset, `${label}: ${coerced.problem}`);
      else
        settings.push({
          path: definition.settingPath,
          enforce: definition.enforce,
          value: coerced.value,
          line: 0,
          column: 0,
          registryValue: label,
          offset: first.offset,
        });
      continue;
    }
    const value = stored.values.get(lower(definition.valueName ?? ''));
    if (!value) continue;
    used.add(value.record);
    const converted = convert(definition, value.record);
    if ('problem' in converted) {
      problemAt(value.record.offset, `${recordLabel(value.record)} ${converted.problem}`);
      continue;
    }
    settings.push({
      path: definition.settingPath,
      enforce: definition.enforce,
      value: converted.value,
      line: 0,
      column: 0,
      registryValue: registryValueLabel(definition),
      offset: value.record.offset,
    });
  }

  for (const stored of keys.values()) {
    for (const { record } of stored.values.values()) {
      if (used.has(record)) continue;
      const suggestion = suggestValue(record);
      warnings.push(
        `${file} at byte ${record.offset}: unknown value ${recordLabel(record)}; not read (${suggestion ? `did you mean ${suggestion}? ` : ''}\`ftpsctl policy admx\` writes the template with every value ftpsctl reads)`,
      );
    }
  }
  if (problems.length > 0) return { problems: problems.sort((a, b) => offsetOf(a) - offsetOf(b)), warnings, sha256 };

  const policy: Policy = {
    name: groupPolicyName(scope),
    scope,
    priority: GROUP_POLICY_PRIORITY,
    description: `Group Policy (Registry.pol, ${scope} scope)`,
    appliesTo: { profiles: [], hosts: [] },
    settings,
    file,
    line: 0,
    column: 0,
    sha256,
  };
  return { policy, problems, warnings, sha256 };
}

/** "Did you mean": a value name of the same key, else a key ftpsctl reads. */
function suggestValue(record: RegistryRecord): string | undefined {
  const definitions = groupPolicyDefinitions();
  const sameKey = definitions.filter((d) => d.valueName !== undefined && lower(d.key) === lower(record.key));
  if (sameKey.length > 0) {
    const name = closestMatch(
      record.valueName,
      sameKey.map((d) => d.valueName as string),
    );
    return name === undefined ? undefined : `${sameKey[0].key}!${name}`;
  }
  return closestMatch(record.key, new Set(definitions.map((d) => d.key)));
}

function offsetOf(problem: PolicyProblem): number {
  return Number(/^at byte (\d+)/.exec(problem.message)?.[1] ?? 0);
}
