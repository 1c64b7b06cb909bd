/** XML text in a policy file: entities and character references decoded, comments and CDATA handled. Pure. */

/** XML's five predefined entities. */
export const PREDEFINED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes XML's predefined entities and character references; no other entity exists here. */
export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return PREDEFINED_ENTITIES[name] ?? whole;
  });
}

const COMMENT_OR_CDATA = /<!--[\s\S]*?-->|<!\[CDATA\[([\s\S]*?)\]\]>/g;

/** The text with comments and CDATA blanked out, offsets kept (for scanning markup only). */
export function withoutCommentsAndCdata(text: string): string {
  return text.replace(COMMENT_OR_CDATA, (whole) => whole.replace(/[^\n]/g, ' '));
}

/** CDATA is literal text: escape it, so decoding the parsed text later gives back exactly its characters. */
export function escapeCdataSections(text: string): string {
  return text.replace(COMMENT_OR_CDATA, (whole, cdata: string | undefined) =>
    cdata === undefined ? whole : cdata.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  );
}
