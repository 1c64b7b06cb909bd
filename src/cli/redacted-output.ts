/**
 * Every byte the CLI prints passes through `redactSecrets`: results, `--json` payloads, errors,
 * warnings, oclif's own messages. A secret a server echoed into a reply can't reach the
 * terminal or a pipe by any path, including one added later.
 */
import { hasRegisteredSecrets, redactSecrets } from '../text/secret-redaction';

const REDACTING = Symbol('ftpsctl.redacting');

type Write = NodeJS.WriteStream['write'];

export function redactStreamWrites(stream: NodeJS.WriteStream): void {
  const marked = stream as NodeJS.WriteStream & { [REDACTING]?: true };
  if (marked[REDACTING]) return;
  marked[REDACTING] = true;
  const original = stream.write;
  stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]) {
    if (hasRegisteredSecrets()) {
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
