/**
 * Every byte the CLI prints passes through `redactSecrets`: results, `--json` payloads, errors,
 * warnings, oclif's own messages. A secret a server echoed into a reply can't reach the
 * terminal or a pipe by any path, including one added later.
 */
import { hasRegisteredSecrets, redactSecrets } from '../text/secret-redaction';

const REDACTING = Symbol('ftpsctl.redacting');
/** Set while text made from an already-redacted value is written (withoutStreamRedaction). */
let passThrough = false;

/**
 * Runs `write` (synchronous writes of text built from a value that went through
 * redactSecretsIn) without the stream-level redaction: on serialised JSON that would replace a
 * secret that equals a number or a key word (a password "1234" next to `"bytes": 1234`) and
 * leave output that is not JSON.
 */
export function withoutStreamRedaction<T>(write: () => T): T {
  passThrough = true;
  try {
    return write();
  } finally {
    passThrough = false;
  }
}

type Write = NodeJS.WriteStream['write'];

export function redactStreamWrites(stream: NodeJS.WriteStream): void {
  const marked = stream as NodeJS.WriteStream & { [REDACTING]?: true };
  if (marked[REDACTING]) return;
  marked[REDACTING] = true;
  const original = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (!passThrough && hasRegisteredSecrets()) {
      if (typeof chunk === 'string') chunk = redactSecrets(chunk);
      else if (chunk instanceof Uint8Array) {
        const text = Buffer.from(chunk).toString('utf8');
        const redacted = redactSecrets(text);
        if (redacted !== text) chunk = redacted;
      }
    }
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Write;
}
