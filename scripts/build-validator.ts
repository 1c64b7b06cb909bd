/**
 * Compiles the schemas to standalone validation code at build time, so the CLI neither
 * loads ajv nor compiles a schema on a run: the profile validator, the policy document
 * validator and one value validator per policy-manageable setting. Build output, not
 * committed; src/ falls back to compiling when it is missing.
 */
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone';
import { policyCatalog } from '../src/policy/policy-catalog';
import { policyDocumentSchema } from '../src/policy/policy-document';
import { profileSchema, profileSchemaId } from '../src/settings/profile-schema';
import {
  catalogSchemaId,
  createCatalogAjv,
  createPolicyAjv,
  createProfileAjv,
  STANDALONE_VALIDATOR_FILES,
} from '../src/settings/schema-validators';

const profileAjv = createProfileAjv({ source: true });
writeFileSync(STANDALONE_VALIDATOR_FILES.profile, standaloneCode(profileAjv, profileAjv.compile(profileSchema)));

const policyAjv = createPolicyAjv({ source: true });
writeFileSync(
  STANDALONE_VALIDATOR_FILES.policyDocument,
  standaloneCode(policyAjv, policyAjv.compile(policyDocumentSchema())),
);

const catalog = policyCatalog();
const catalogAjv = createCatalogAjv(profileSchema, profileSchemaId, catalog.values(), { source: true });
const exportsByName = Object.fromEntries(
  [...catalog.keys()].map((settingPath, index) => [`v${index}`, catalogSchemaId(settingPath)]),
);
writeFileSync(STANDALONE_VALIDATOR_FILES.catalog, standaloneCode(catalogAjv, exportsByName));
