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
/** Short secrets, as whole-word patterns. */
const shortSecrets = new Map<string, RegExp>();

/** Remembers `value` (and its JSON-escaped form, as it appears inside serialised JSON). */
export function registerSecret(value: string): void {
  if (value.length === 0) return;
  if (value.length < MIN_REDACTED_LENGTH) {
    const literal = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    shortSecrets.set(value, new RegExp(`(?<![\\p{L}\\p{N}])${literal}(?![\\p{L}\\p{N}])`, 'gu'));
    return;
  }
  const before = secrets.size;
  secrets.add(value);
  const escaped = JSON.stringify(value).slice(1, -1);
  if (escaped !== value) secrets.add(escaped);
  const encoded = encodeURIComponent(value);
  if (encoded !== value) secrets.add(encoded);
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
  if (ordered.length === 0 && shortSecrets.size === 0) return text;
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
  if (ordered.length === 0 && shortSecrets.size === 0) return value;
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return redactSecrets(item);
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

/** For tests: forget every secret. */
export function clearRegisteredSecrets(): void {
  secrets.clear();
  shortSecrets.clear();
  ordered = [];
}
