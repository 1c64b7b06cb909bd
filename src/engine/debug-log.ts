/**
 * `NODE_DEBUG=ftpsctl`: the masked protocol log on stderr through util.debuglog, as undici
 * does (`NODE_DEBUG=undici`). Lines: `> COMMAND` sent (PASS and ACCT masked), `< reply`
 * received, `* event` (TLS handshakes). Secrets a server echoes are removed where the CLI
 * prints (cli/redacted-output.ts).
 */
import { debuglog } from 'node:util';
import { printableText } from '../text/printable-text';
import type { ProtocolLogLine } from './control-connection';

const debug = debuglog('ftpsctl');

/** `> `, `< ` or `* ` and the line: the form of curl -v and lftp's debug output; control characters escaped (a server's reply can't drive the terminal). */
export function formatProtocolLine(entry: ProtocolLogLine): string {
  return `${entry.direction === 'sent' ? '>' : entry.direction === 'received' ? '<' : '*'} ${printableText(entry.line)}`;
}

/** A protocol log writer when NODE_DEBUG names ftpsctl, else undefined (no cost). */
export function protocolDebugLog(): ((entry: ProtocolLogLine) => void) | undefined {
  return debug.enabled ? (entry) => debug('%s', formatProtocolLine(entry)) : undefined;
}
