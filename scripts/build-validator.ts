/**
 * Compiles the profile schema to standalone validation code at build time
 * (dist/src/session/profile-validator.standalone.js), so the CLI does not compile the
 * schema on every run. Build output: not committed; src/ falls back to compiling.
 */
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone';
import { createProfileAjv, profileSchema, STANDALONE_VALIDATOR_FILE } from '../src/session/profile-schema';

const ajv = createProfileAjv({ source: true });
const validate = ajv.compile(profileSchema);
writeFileSync(STANDALONE_VALIDATOR_FILE, standaloneCode(ajv, validate));
