/**
 * Known secrets (passwords, proxy passwords, key passphrases) and their removal from any text
 * before it is shown or logged. A server may echo a password in a reply
 * (`530 Login incorrect for password hunter2`), which then travels in error messages, `--json`
 * results and audit events; every output path passes through `redactSecrets`.
 *
 * Secrets register themselves where they are read (session/secrets.ts). The registry is
 * per process, which is what a CLI run is. A value shorter than MIN_REDACTED_LENGTH is replaced
 * only where it stands as a whole word (no letter or digit on either side): replacing every
 * "ab" inside other words would garble the output, but a short password echoed in a reply
 * (`530 password k9Z is wrong`) is still hidden.
 */

export const REDACTED = '[REDACTED]';
export const MIN_REDACTED_LENGTH = 4;

const secrets = new Set<string>();
let ordered: string[] = [];
/** Short secrets (each form), as whole-word patterns. */
const shortSecrets = new Map<string, RegExp>();

/**
 * What may not stand next to a short secret for it to be a word of its own: letters, digits,
 * the characters that join them in names and paths (`a_b`, `x-1`, `a/b`, `u@h`), and a dot
 * between two of them (`127.0.0.1`, `TLSv1.3`). So a password `1` leaves `127.0.0.1` and
 * `TLSv1.3` alone, but not `password 1 is wrong` or `... was 1.` at a sentence's end.
 */
const NOT_BEFORE = '(?<![\\p{L}\\p{N}_:/@+\\-])(?<![\\p{L}\\p{N}]\\.)';
const NOT_AFTER = '(?![\\p{L}\\p{N}_:/@+\\-])(?!\\.[\\p{L}\\p{N}])';

/** The forms a secret takes in output: as is, JSON-escaped (inside serialised JSON or quoted text), URL-encoded. */
function formsOf(value: string): string[] {
  return [...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)])];
}

/** Remembers `value` in each of its forms. */
export function registerSecret(value: string): void {
  if (value.length === 0) return;
  if (value.length < MIN_REDACTED_LENGTH) {
    for (const form of formsOf(value)) {
      const literal = form.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
      shortSecrets.set(form, new RegExp(`${NOT_BEFORE}${literal}${NOT_AFTER}`, 'gu'));
    }
    return;
  }
  const before = secrets.size;
  for (const form of formsOf(value)) secrets.add(form);
  // Longest first, so a secret that contains another is replaced whole.
  if (secrets.size !== before) ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * Registers the secret and the HTTP Basic credentials made from it (RFC 7617: base64 of
 * `user:password`), as a proxy sends them in Proxy-Authorization: a proxy may echo that header.
 */
export function registerBasicCredentials(user: string, password: string): void {
  registerSecret(password);
  registerSecret(Buffer.from(`${user}:${password}`, 'utf8').toString('base64'));
}

export function hasRegisteredSecrets(): boolean {
  return secrets.size > 0 || shortSecrets.size > 0;
}

/** `text` with every occurrence of a registered secret replaced by [REDACTED] (a short one where it is a whole word). */
export function redactSecrets(text: string): string {
  if (!hasRegisteredSecrets()) return text;
  let result = text;
  for (const secret of ordered) if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  for (const [secret, pattern] of shortSecrets) if (result.includes(secret)) result = result.replace(pattern, REDACTED);
  return result;
}

/**
 * A copy of a JSON value with every registered secret replaced in its strings (keys too), for
 * text that is serialised afterwards: redacting the serialised text instead can eat the
 * backslash of an escape next to a secret (a password ending in `\` before a `"`) and leave a
 * line that is not JSON.
 */
export function redactSecretsIn<T>(value: T): T {
  if (!hasRegisteredSecrets()) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redactSecrets(item);
    // A Date (or anything with toJSON) is redacted as what it serialises to, not rebuilt from its (no) entries.
    if (item !== null && typeof item === 'object' && typeof (item as { toJSON?: unknown }).toJSON === 'function')
      return walk((item as { toJSON: () => unknown }).toJSON());
    if (Array.isArray(item)) return item.map(walk);
    if (item !== null && typeof item === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(item)) copy[redactSecrets(key)] = walk(inner);
      return copy;
    }
    return item;
  };
  return walk(value) as T;
}

/**
 * An error as a program may be handed it (the library's front door): its message, stack, server
 * reply and every cause's the same, with registered secrets removed, in place. A server may echo
 * a password into a reply that becomes an error; the CLI redacts what it prints, a library caller
 * gets the object itself. Returns `error`.
 */
export function redactError<E>(error: E): E {
  if (!hasRegisteredSecrets()) return error;
  const seen = new Set<unknown>();
  for (let current: unknown = error; current !== null && typeof current === 'object' && !seen.has(current);) {
    seen.add(current);
    const node = current as { message?: unknown; stack?: unknown; reply?: unknown; cause?: unknown };
    const rewrite = (key: 'message' | 'stack' | 'reply', value: unknown): void => {
      try {
        Object.defineProperty(node, key, { value, writable: true, configurable: true, enumerable: key === 'reply' });
      } catch {
        // a frozen foreign object: left as it is
      }
    };
    if (typeof node.message === 'string') rewrite('message', redactSecrets(node.message));
    if (typeof node.stack === 'string') rewrite('stack', redactSecrets(node.stack));
    if (node.reply !== null && typeof node.reply === 'object') rewrite('reply', redactSecretsIn(node.reply));
    current = node.cause;
  }
  return error;
}

/** For tests: forget every secret. */
export function clearRegisteredSecrets(): void {
  secrets.clear();
  shortSecrets.clear();
  ordered = [];
}
