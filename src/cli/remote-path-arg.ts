/**
 * Remote paths on the command line, typed as `session ls` shows them. A name that is not UTF-8
 * is kept by the engine as U+DC80-U+DCFF (one per byte, name-codec.ts) and shown as `\u{dce9}`
 * (printable-text.ts); the same escape typed back names the same bytes, so every listed name
 * can be given to `get`, `rm`, `mv`... A literal `\u{` in a name is shown as `\u{5c}u{`, so the
 * two never look alike. A name with control characters (shown as `\u{1b}`) is typed with them.
 * Bytes that are not UTF-8 in argv itself can't be used: Node reads them as U+FFFD before any
 * code sees them.
 */
import { Args } from '@oclif/core';

/**
 * The escapes read back: `\u{dc80}`-`\u{dcff}` (a byte that is not UTF-8, which no shell can
 * put in argv for Node) and `\u{5c}` (a backslash shown escaped because `u{` follows it). Any
 * other `\u{...}` is taken as written: a name holding `\u{41}` (as `ls --json` lists it) is that
 * name, not `A`; characters a terminal can show are typed as themselves.
 */
const SHOWN_ESCAPE = /\\u\{(5c|dc[89a-f][0-9a-f])\}/gi;

/** `text` with each escape `session ls` writes for a name's byte turned back into it (see SHOWN_ESCAPE). */
export function fromShownName(text: string): string {
  // A lone surrogate (a byte that is not UTF-8) is one UTF-16 unit.
  return text.replace(SHOWN_ESCAPE, (_whole, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A required oclif argument for a remote path: `\\u{...}` escapes as `session ls` shows them are read back. */
export function remotePathArg(description: string) {
  return Args.string({ ignoreStdin: true, description, required: true, parse: async (text) => fromShownName(text) });
}

/** The same, optional. */
export function optionalRemotePathArg(description: string) {
  return Args.string({ ignoreStdin: true, description, parse: async (text) => fromShownName(text) });
}
