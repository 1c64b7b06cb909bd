/**
 * Compiles the schemas to standalone validation code at build time, so the CLI neither
 * loads ajv nor compiles a schema on a run: the profile validator, the policy document
 * validator and one value validator per policy-manageable setting. Build output, not
 * committed; src/ falls back to compiling when it is missing.
 */
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone';
import {
  CATALOG_VALIDATORS_FILE,
  catalogSchemaId,
  createCatalogAjv,
  policyCatalog,
} from '../src/policy/policy-catalog';
import { createPolicyAjv, policyDocumentSchema, POLICY_VALIDATOR_FILE } from '../src/policy/parse-policy';
import { createProfileAjv, profileSchema, STANDALONE_VALIDATOR_FILE } from '../src/settings/profile-schema';

const profileAjv = createProfileAjv({ source: true });
writeFileSync(STANDALONE_VALIDATOR_FILE, standaloneCode(profileAjv, profileAjv.compile(profileSchema)));

const policyAjv = createPolicyAjv({ source: true });
writeFileSync(POLICY_VALIDATOR_FILE, standaloneCode(policyAjv, policyAjv.compile(policyDocumentSchema())));

const catalogAjv = createCatalogAjv({ source: true });
const exportsByName = Object.fromEntries(
  [...policyCatalog().keys()].map((settingPath, index) => [`v${index}`, catalogSchemaId(settingPath)]),
);
writeFileSync(CATALOG_VALIDATORS_FILE, standaloneCode(catalogAjv, exportsByName));
