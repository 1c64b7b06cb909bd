/**
 * Where each element and attribute of an XML document starts. fast-xml-parser returns the
 * data but no positions; a policy error must name line and column. This scanner walks the
 * text once, skipping comments, CDATA and processing instructions, and records every start
 * tag with its element path (`policy/setting`) and attribute positions. Pure.
 */

export interface XmlPosition {
  line: number;
  column: number;
}

export interface XmlElementPosition extends XmlPosition {
  /** Element path from the root, local names joined by '/': `policy/appliesTo/host`. */
  path: string;
  /** Local name of the element (namespace prefix removed). */
  name: string;
  /** The name as written, prefix included. */
  qualifiedName: string;
  /** Index of the parent in `elements`, -1 for the root. */
  parent: number;
  attributes: Record<string, XmlPosition>;
}

export interface XmlScan {
  elements: XmlElementPosition[];
  /** The first `<!DOCTYPE`, if any (policies may not declare a DTD or entities). */
  doctype?: XmlPosition;
}

export function scanXmlPositions(text: string): XmlScan {
  const elements: XmlElementPosition[] = [];
  const stack: Array<{ name: string; index: number }> = [];
  let doctype: XmlPosition | undefined;
  let line = 1;
  let lineStart = 0;
  let index = 0;
  const positionAt = (offset: number): XmlPosition => {
    // Lines are counted incrementally up to `offset`.
    for (; index < offset; index++) {
      if (text.charCodeAt(index) === 0x0a) {
        line++;
        lineStart = index + 1;
      }
    }
    return { line, column: offset - lineStart + 1 };
  };

  let offset = 0;
  while (offset < text.length) {
    const open = text.indexOf('<', offset);
    if (open < 0) break;
    if (text.startsWith('<!--', open)) {
      offset = endOf(text, '-->', open + 4);
    } else if (text.startsWith('<![CDATA[', open)) {
      offset = endOf(text, ']]>', open + 9);
    } else if (text.startsWith('<?', open)) {
      offset = endOf(text, '?>', open + 2);
    } else if (text.startsWith('<!', open)) {
      if (/^<!DOCTYPE/i.test(text.slice(open, open + 9)) && !doctype) doctype = positionAt(open);
      offset = endOf(text, '>', open + 2);
    } else if (text[open + 1] === '/') {
      stack.pop();
      offset = endOf(text, '>', open + 2);
    } else {
      const close = tagEnd(text, open + 1);
      const tag = text.slice(open + 1, close);
      const name = /^[^\s/>]+/.exec(tag)?.[0] ?? '';
      const localName = name.includes(':') ? name.slice(name.indexOf(':') + 1) : name;
      const start = positionAt(open);
      const attributes: Record<string, XmlPosition> = {};
      const attributePattern = /([^\s=/>]+)\s*=\s*("[^"]*"|'[^']*')/g;
      for (let match = attributePattern.exec(tag); match; match = attributePattern.exec(tag)) {
        attributes[match[1]] = positionAt(open + 1 + match.index);
      }
      const path = [...stack.map((s) => s.name), localName].join('/');
      const parent = stack.length > 0 ? stack[stack.length - 1].index : -1;
      elements.push({ path, name: localName, qualifiedName: name, parent, line: start.line, column: start.column, attributes });
      const selfClosing = text[close - 1] === '/';
      if (!selfClosing) stack.push({ name: localName, index: elements.length - 1 });
      offset = close + 1;
    }
  }
  return doctype ? { elements, doctype } : { elements };
}

function endOf(text: string, terminator: string, from: number): number {
  const end = text.indexOf(terminator, from);
  return end < 0 ? text.length : end + terminator.length;
}

/** The index of the `>` that ends a start tag, ignoring `>` inside quoted attribute values. */
function tagEnd(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '>') {
      return i;
    }
  }
  return text.length;
}

/**
 * The position named by a JSON pointer into fast-xml-parser's output
 * (`/policy/setting/3/@_enforce`, `/policy/appliesTo/host/1`): the attribute if the pointer
 * ends in one, else the deepest element it reaches.
 */
export function positionAtPointer(scan: XmlScan, pointer: string, attributePrefix = '@_'): XmlPosition | undefined {
  const tokens = pointer.split('/').slice(1);
  let current = -1;
  let found: XmlElementPosition | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.startsWith(attributePrefix)) return found?.attributes[token.slice(attributePrefix.length)] ?? found;
    if (token === '#text') return found;
    const ordinal = /^\d+$/.test(tokens[i + 1] ?? '') ? Number(tokens[++i]) : 0;
    const children = scan.elements.map((element, index) => ({ element, index })).filter(({ element }) => element.parent === current && (element.name === token || element.qualifiedName === token));
    const next = children[ordinal];
    if (!next) return found;
    found = next.element;
    current = next.index;
  }
  return found;
}
