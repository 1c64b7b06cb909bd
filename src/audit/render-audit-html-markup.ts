/**
 * HTML built with a tagged template that escapes every interpolated value unless it is
 * already Markup, so text from profiles and policies (names, values, paths, messages) can
 * never become markup, whichever template it ends up in.
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export class Markup {
  constructor(readonly html: string) {}
}

export type MarkupValue = Markup | string | number | readonly MarkupValue[];

/** Safe in text and in double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

function render(value: MarkupValue): string {
  if (value instanceof Markup) return value.html;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: MarkupValue[]): Markup {
  return new Markup(strings.reduce((out, text, i) => out + render(values[i - 1]) + text));
}
