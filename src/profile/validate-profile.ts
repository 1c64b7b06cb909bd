/**
 * Validation of a profile's text: strict JSON with positions, then the schema. Pure (no I/O),
 * so the CLI, the loader and tests share it.
 */
import { JsonSyntaxError, parseJsonDocument, type JsonDocument } from './json-source';
import type { SessionProfile } from '../settings/generated/session-profile';
import { describeProfileErrors, type ProfileProblem } from './profile-problems';
import { profileValidator } from '../settings/profile-schema';

/** A valid result keeps the parsed document: its pointer -> line/column map locates later problems (named files). */
export type ProfileValidation =
  | { valid: true; profile: SessionProfile; problems: []; document: JsonDocument }
  | { valid: false; problems: ProfileProblem[] };

const UTF8_BOM = '\uFEFF';

export function validateProfileText(text: string): ProfileValidation {
  if (text.startsWith(UTF8_BOM)) {
    return invalid([
      {
        pointer: '',
        line: 1,
        column: 1,
        message: 'the file starts with a byte order mark (BOM); save it as UTF-8 without BOM',
      },
    ]);
  }
  let document: JsonDocument;
  try {
    document = parseJsonDocument(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      return invalid([
        {
          pointer: '',
          line: error.position.line,
          column: error.position.column,
          message: `invalid JSON: ${error.message}`,
        },
      ]);
    }
    throw error;
  }
  return validateProfileDocument(document);
}

export function validateProfileDocument(document: JsonDocument): ProfileValidation {
  const problems: ProfileProblem[] = document.problems.map((p) => ({
    pointer: p.pointer,
    line: p.position.line,
    column: p.position.column,
    message: p.message,
  }));
  const validate = profileValidator();
  if (!validate(document.value)) {
    problems.push(...describeProfileErrors(validate.errors ?? [], document.value, document));
  }
  if (problems.length > 0)
    return invalid(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)));
  // The parser builds null-prototype objects; hand out plain ones.
  return { valid: true, profile: JSON.parse(JSON.stringify(document.value)) as SessionProfile, problems: [], document };
}

function invalid(problems: ProfileProblem[]): ProfileValidation {
  return { valid: false, problems };
}
