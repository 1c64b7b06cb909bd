/**
 * Everything generated from schemas/session-profile.schema.json:
 *  - src/settings/generated/session-profile.ts   (the profile as written)
 *  - src/settings/generated/effective-profile.ts (the profile with defaults applied)
 *  - the settings reference between the markers in README.md
 *
 * `node dist/scripts/generate.js --write` (npm run gen:types) rewrites them; `--check`
 * fails when a file is stale. A unit test runs the same check.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compile, type JSONSchema } from 'json-schema-to-typescript';
import { exitCodeTable } from '../src/errors/exit-codes';
import { renderSettingsReference } from './settings-reference';

export const repoRoot = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
const schemaPath = path.join(repoRoot, 'schemas/session-profile.schema.json');
const markers = (name: string): { start: string; end: string } => ({
  start: `<!-- ${name}:start (generated: run npm run gen:types) -->`,
  end: `<!-- ${name}:end -->`,
});

const banner = (what: string): string =>
  `/* eslint-disable */\n/**\n * GENERATED FILE, DO NOT EDIT: run \`npm run gen:types\`.\n * ${what}\n * Source: schemas/session-profile.schema.json\n */`;

type Json = Record<string, unknown>;

function hasDefault(node: Json, defs: Record<string, Json>): boolean {
  const target = typeof node.$ref === 'string' ? defs[node.$ref.replace('#/$defs/', '')] : node;
  if ('default' in node || 'x-default' in node || (target && ('default' in target || 'x-default' in target)))
    return true;
  const props = (target?.properties ?? {}) as Record<string, Json>;
  return (
    target?.type === 'object' && target.required === undefined && Object.values(props).some((p) => hasDefault(p, defs))
  );
}

/** The schema of a profile after defaults: defaulted members (and groups holding them) are required. */
export function effectiveSchema(schema: Json): Json {
  const clone = structuredClone(schema);
  const defs = clone.$defs as Record<string, Json>;
  const markRequired = (node: Json): void => {
    const props = node.properties as Record<string, Json> | undefined;
    if (!props || node.type !== 'object') return;
    const required = new Set((node.required as string[] | undefined) ?? []);
    for (const [key, prop] of Object.entries(props)) if (key !== '$schema' && hasDefault(prop, defs)) required.add(key);
    node.required = [...required];
    if (typeof node.title === 'string') node.title = `Effective${node.title}`;
  };
  markRequired(clone);
  clone.title = 'EffectiveProfile';
  clone.description = 'A session profile with every default applied (what `loadProfile` returns).';
  for (const def of Object.values(defs)) markRequired(def);
  markRequired((defs.proxy.properties as Record<string, Json>).authorization);
  delete clone.allOf; // the rules are checked on the profile as written
  return clone;
}

/**
 * json-schema-to-typescript turns every `$ref` with sibling keywords into a new numbered alias
 * (HostName1, HostName2...). For the types, inline scalar definitions and keep object/union
 * definitions as plain references, so each type is declared once.
 */
export function schemaForTypes(schema: Json): Json {
  const clone = structuredClone(schema);
  const defs = clone.$defs as Record<string, Json>;
  const isScalar = (def: Json): boolean => def.type !== 'object' && def.anyOf === undefined;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (node === null || typeof node !== 'object') return node;
    const record = node as Json;
    if (typeof record.$ref === 'string' && record.$ref.startsWith('#/$defs/')) {
      const def = defs[record.$ref.slice('#/$defs/'.length)];
      if (isScalar(def)) {
        const { title: _title, ...body } = def;
        const { $ref: _ref, ...siblings } = record;
        return visit({ ...body, ...siblings });
      }
      return { $ref: record.$ref };
    }
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, visit(v)]));
  };
  const out = visit(clone) as Json;
  out.$defs = Object.fromEntries(Object.entries(out.$defs as Record<string, Json>).filter(([, def]) => !isScalar(def)));
  return out;
}

export async function generateAll(): Promise<Map<string, string>> {
  const schema = schemaForTypes(JSON.parse(await readFile(schemaPath, 'utf8')) as Json);
  const options = {
    additionalProperties: false,
    format: true,
    declareExternallyReferenced: true,
    unreachableDefinitions: false,
    cwd: path.dirname(schemaPath),
  };
  const out = new Map<string, string>();
  out.set(
    'src/settings/generated/session-profile.ts',
    await compile(schema as JSONSchema, 'SessionProfile', {
      ...options,
      bannerComment: banner('A session profile as its author wrote it.'),
    }),
  );
  out.set(
    'src/settings/generated/effective-profile.ts',
    await compile(effectiveSchema(schema) as JSONSchema, 'EffectiveProfile', {
      ...options,
      bannerComment: banner('A session profile with every default applied.'),
    }),
  );
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  out.set(
    'README.md',
    spliceBetweenMarkers(
      spliceBetweenMarkers(readme, 'settings-reference', renderSettingsReference()),
      'exit-codes',
      renderExitCodes(),
    ),
  );
  return out;
}

function renderExitCodes(): string {
  return [
    '| Exit code | Meaning |',
    '|---|---|',
    ...exitCodeTable.map((row) => `| ${row.code} | ${row.meaning} |`),
  ].join('\n');
}

export function spliceBetweenMarkers(text: string, name: string, body: string): string {
  const { start: startMarker, end: endMarker } = markers(name);
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${startMarker} ... ${endMarker}`);
  return `${text.slice(0, start + startMarker.length)}\n${body}\n${text.slice(end)}`;
}

/** Relative paths of generated files whose content differs from what the schema gives now. */
export async function staleFiles(): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, content] of await generateAll()) {
    const current = await readFile(path.join(repoRoot, file), 'utf8').catch(() => '');
    if (current !== content) stale.push(file);
  }
  return stale;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--write')) {
    for (const [file, content] of await generateAll()) await writeFile(path.join(repoRoot, file), content);
    process.stdout.write('generated: src/settings/generated/*.ts and the settings reference in README.md\n');
    return 0;
  }
  const stale = await staleFiles();
  if (stale.length === 0) return 0;
  process.stderr.write(`stale generated files: ${stale.join(', ')}; run npm run gen:types\n`);
  return 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`generate failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
