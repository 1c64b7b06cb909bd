/**
 * Remote paths on the command line, typed as `session ls` shows them. A name that is not UTF-8
 * is kept by the engine as U+DC80-U+DCFF (one per byte, name-codec.ts) and shown as `\u{dce9}`
 * (printable-text.ts); the same escape typed back names the same bytes, so every listed name
 * can be given to `get`, `rm`, `mv`... A literal `\u{` in a name is shown as `\u{5c}u{`, so the
 * two never look alike. Bytes that are not UTF-8 in argv itself can't be used: Node reads them
 * as U+FFFD before any code sees them.
 */
import { Args } from '@oclif/core';

const SHOWN_ESCAPE = /\\u\{([0-9a-fA-F]{1,6})\}/g;

/** `text` with each `\u{hex}` escape (as printableText writes it) turned back into its character. */
export function fromShownName(text: string): string {
  return text.replace(SHOWN_ESCAPE, (whole, hex: string) => {
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) return whole;
    // A lone surrogate (a byte that is not UTF-8) is one UTF-16 unit, not a code point.
    return code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
  });
}

/** A required oclif argument for a remote path: `\\u{...}` escapes as `session ls` shows them are read back. */
export function remotePathArg(description: string) {
  return Args.string({ ignoreStdin: true, description, required: true, parse: async (text) => fromShownName(text) });
}

/** The same, optional. */
export function optionalRemotePathArg(description: string) {
  return Args.string({ ignoreStdin: true, description, parse: async (text) => fromShownName(text) });
}
