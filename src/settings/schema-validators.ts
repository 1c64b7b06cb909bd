/**
 * The one place ftpsctl configures ajv (JSON Schema draft 2020-12, ajv's strict mode): the Ajv
 * set-ups for profiles, policy documents and policy setting values, and the standalone
 * validators `npm run build` writes from them (scripts/build-validator.ts), next to this module.
 *
 * At run time a validator is loaded from its standalone file (~7 ms) and compiled only when the
 * file is missing (a checkout without a build, tests); ajv itself is then loaded on demand, so
 * a run that validates nothing never loads it (~60 ms saved at start-up).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Ajv2020 from 'ajv/dist/2020';

export type SchemaAjv = Ajv2020;

/** ajv's draft 2020-12 class, loaded only where a schema is compiled (build, tests, a checkout without a build). */
export function loadAjv2020(): typeof Ajv2020 {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
  return (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
}

/** Annotation keywords of our own in the profile schema, declared to ajv so that strict mode stays on. */
export function registerAnnotationKeywords(ajv: Ajv2020): Ajv2020 {
  ajv.addKeyword({
    keyword: 'x-policy',
    metaSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['enforce'],
      properties: {
        enforce: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: ['mandatory', 'recommended', 'floor', 'ceiling', 'allow', 'deny'] },
        },
        order: { anyOf: [{ const: 'numeric' }, { type: 'array', minItems: 2 }] },
        secure: { enum: ['lower', 'higher'] },
      },
    },
  });
  for (const keyword of ['x-message', 'x-pointer', 'x-hint', 'x-default']) {
    ajv.addKeyword({ keyword, metaSchema: { type: 'string' } });
  }
  return ajv;
}

/** `source: true` keeps the generated code, for standalone output (the build script). */
export interface AjvOptions {
  source?: boolean;
}

/**
 * The Ajv instance for profiles (schemas/session-profile.schema.json). allErrors: a profile
 * error lists every problem at once; verbose: messages read hints (`x-hint`) from the failing
 * schema node.
 */
export function createProfileAjv(options: AjvOptions = {}): Ajv2020 {
  return registerAnnotationKeywords(
    new (loadAjv2020())({
      strict: true,
      strictRequired: false,
      allErrors: true,
      verbose: true,
      code: { source: options.source ?? false },
    }),
  );
}

/** The Ajv instance for policy documents (schemas/policy.schema.json). Admin files: allErrors, so one run lists every problem. */
export function createPolicyAjv(options: AjvOptions = {}): Ajv2020 {
  const ajv = new (loadAjv2020())({
    strict: true,
    allErrors: true,
    verbose: true,
    code: { source: options.source ?? false },
  });
  ajv.addKeyword({ keyword: 'x-hint', metaSchema: { type: 'string' } });
  return ajv;
}

/** The schema id under which a setting's value validator is compiled (and exported, by index). */
export const catalogSchemaId = (settingPath: string): string => `urn:ftpsctl:catalog:${settingPath}`;

/**
 * The profile Ajv with the profile schema and one value schema per setting (a `$ref` to the
 * setting's node in the profile schema), each under catalogSchemaId(path): how a value a policy
 * sets is checked against the same schema a profile's value is.
 * @param profileSchema the profile schema; `profileSchemaId` its `$id`, the base of every `$ref`
 * @param settings the policy-manageable settings: dotted path and JSON pointer into the schema
 */
export function createCatalogAjv(
  profileSchema: object,
  profileSchemaId: string,
  settings: Iterable<{ path: string; schemaPointer: string }>,
  options: AjvOptions = {},
): Ajv2020 {
  const created = createProfileAjv(options);
  created.addSchema(profileSchema);
  for (const setting of settings)
    created.addSchema({ $id: catalogSchemaId(setting.path), $ref: `${profileSchemaId}${setting.schemaPointer}` });
  return created;
}

/**
 * The standalone validators `npm run build` writes (dist/src/settings/ after a build): the
 * profile validator, the policy document validator, and the catalog's value validators
 * (exported as `v0`, `v1`... in catalog order).
 */
export const STANDALONE_VALIDATOR_FILES = {
  profile: path.join(__dirname, 'profile-validator.standalone.js'),
  policyDocument: path.join(__dirname, 'policy-validator.standalone.js'),
  catalog: path.join(__dirname, 'catalog-validators.standalone.js'),
} as const;

/** The standalone validator module the build wrote at `file`, or undefined when there is none (then compile). */
export function loadStandaloneValidator<T>(file: string): T | undefined {
  if (!existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a build artefact found at run time
  return require(file) as T;
}
