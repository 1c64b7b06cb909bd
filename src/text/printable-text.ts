/**
 * Text from outside (a server's reply, a file name, a profile someone shared) made safe to print
 * on a terminal: control characters (C0, DEL, C1), lone surrogates (`u` mode: a pair such as 📄
 * stays) and the bidirectional formatting characters (Unicode TR #9: U+061C, U+200E/F,
 * U+202A-U+202E, U+2066-U+2069) are shown as `\u{1b}` escapes, so an ESC or CSI sequence can't
 * clear the screen, set the window title or rewrite what was printed before, and `report\u{202e}txt.exe`
 * can't pass for `report.exe.txt`. Line feeds and tabs stay when asked: an error message may span
 * lines of our own.
 */

const BIDI = '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';
const ALL_CONTROLS = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${BIDI}]|[\\ud800-\\udfff]`, 'gu');
const CONTROLS_BUT_LINES = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${BIDI}]|[\\ud800-\\udfff]`, 'gu');
/**
 * Controls but tabs and line ends (a CR before a LF or at the end stays: CSV's CRLF), for whole
 * outputs: bidi controls stay, as data (Hebrew and Arabic text holds them); the renderers show
 * names and values through printableText, which escapes them.
 */
const CONTROLS_BUT_LINE_ENDS = new RegExp(
  `\\r(?!\\n|$)|[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]|[\\ud800-\\udfff]`,
  'gu',
);
/** What JSON.stringify leaves raw inside strings and a terminal acts on: C1, DEL, bidi controls, U+2028/9. */
const JSON_RAW_CONTROLS = new RegExp(`[\\u007f-\\u009f${BIDI}\\u2028\\u2029]`, 'g');

const escape = (c: string): string => `\\u{${c.charCodeAt(0).toString(16)}}`;
/** A backslash that starts `u{` in the text itself: escaped too, so a name holding `\u{dce9}` never looks like one holding that byte. */
const ESCAPE_LOOKALIKE = /\\(?=u\{)/g;

/**
 * Every control character (and lone surrogate, bidi control) as an escape: for one-line values
 * such as names. The escapes read back as the same name (cli/remote-path-arg.ts).
 */
export function printableText(text: string): string {
  return text.replace(ESCAPE_LOOKALIKE, '\\u{5c}').replace(ALL_CONTROLS, escape);
}

/** The same, keeping line feeds and tabs: for messages that may span lines. */
export function printableLines(text: string): string {
  return text.replace(CONTROLS_BUT_LINES, escape);
}

/** Controls as escapes, keeping tabs, line ends and bidi characters: for whole outputs (tables, CSV, HTML) on standard output. */
export function printableOutput(text: string): string {
  return text.replace(CONTROLS_BUT_LINE_ENDS, escape);
}

/**
 * JSON text (as JSON.stringify wrote it) with the characters a terminal acts on that JSON leaves
 * raw written as `\uXXXX` escapes instead: the same JSON value, safe to print. JSON.stringify
 * already escapes C0 controls and lone surrogates, and these characters occur only in strings.
 */
export function printableJson(json: string): string {
  return json.replace(JSON_RAW_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
