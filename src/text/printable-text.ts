/**
 * Text from outside (a server's reply, a file name) made safe to print on a terminal: control
 * characters, and lone surrogates (`u` mode: a pair such as 📄 stays), are shown as `\u{1b}`
 * escapes, so an ESC sequence can't clear the screen, set the window title or rewrite what was
 * printed before. Line feeds and tabs stay when asked: an error message may span lines of our own.
 */

// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
const ALL_CONTROLS = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff]/gu;
// eslint-disable-next-line no-control-regex -- as above, but keeping \t and \n
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udfff]/gu;

const escape = (c: string): string => `\\u{${c.charCodeAt(0).toString(16)}}`;

/** Every control character (and lone surrogate) as an escape: for one-line values such as names. */
export function printableText(text: string): string {
  return text.replace(ALL_CONTROLS, escape);
}

/** The same, keeping line feeds and tabs: for messages that may span lines. */
export function printableLines(text: string): string {
  return text.replace(CONTROLS_BUT_LINES, escape);
}
