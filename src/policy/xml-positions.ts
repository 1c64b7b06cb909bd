/**
 * Where each element and attribute of an XML document starts. fast-xml-parser returns the
 * data but no positions; a policy error must name line and column. This scanner walks the
 * text once, skipping comments, CDATA and processing instructions, and records every start
 * tag with its element path (`policy/setting`) and attribute positions. Pure.
 *
 * Cost: linear in the text (one pass, no backtracking pattern), and it stops at the first
 * element nested deeper than `maxDepth` (reported as `tooDeep`), so a hostile file of
 * 100,000 nested elements costs one pass up to that depth, not a path per level per element.
 * `positionAtPointer` answers from a child index built once per scan: O(depth) per lookup.
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
  /** Attribute name as written -> where the name starts (a null-prototype record: `__proto__` is plain data). */
  attributes: Record<string, XmlPosition>;
}

export interface XmlScan {
  elements: XmlElementPosition[];
  /** The first `<!DOCTYPE`, if any (policies may not declare a DTD or entities). */
  doctype?: XmlPosition;
  /** The first start tag nested deeper than `maxDepth`; scanning stopped there. */
  tooDeep?: XmlPosition & { maxDepth: number };
}

/** Far deeper than any policy (`policy/setting/value` is 3 levels), far below what costs anything. */
export const DEFAULT_MAX_XML_DEPTH = 32;

export interface ScanOptions {
  /** Start tags nested deeper than this stop the scan (`tooDeep`). Default 32. */
  maxDepth?: number;
}

export function scanXmlPositions(text: string, options: ScanOptions = {}): XmlScan {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_XML_DEPTH;
  const elements: XmlElementPosition[] = [];
  /** Indexes into `elements` of the open elements. */
  const stack: number[] = [];
  let doctype: XmlPosition | undefined;
  let line = 1;
  let lineStart = 0;
  let index = 0;
  const positionAt = (offset: number): XmlPosition => {
    // Lines are counted incrementally up to `offset` (offsets only grow).
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
      if (!doctype && text.slice(open, open + 9).toUpperCase() === '<!DOCTYPE') doctype = positionAt(open);
      offset = endOf(text, '>', open + 2);
    } else if (text[open + 1] === '/') {
      stack.pop();
      offset = endOf(text, '>', open + 2);
    } else {
      if (stack.length >= maxDepth) {
        const at = positionAt(open);
        const scan: XmlScan = { elements, tooDeep: { ...at, maxDepth } };
        if (doctype) scan.doctype = doctype;
        return scan;
      }
      const close = tagEnd(text, open + 1);
      const nameEnd = nameEndAt(text, open + 1, close);
      const name = text.slice(open + 1, nameEnd);
      const colon = name.indexOf(':');
      const localName = colon >= 0 ? name.slice(colon + 1) : name;
      const start = positionAt(open);
      const attributes: Record<string, XmlPosition> = Object.create(null) as Record<string, XmlPosition>;
      for (const attribute of scanAttributes(text, nameEnd, close))
        attributes[attribute.name] = positionAt(attribute.offset);
      const parent = stack.length > 0 ? stack[stack.length - 1] : -1;
      const path = parent >= 0 ? `${elements[parent].path}/${localName}` : localName;
      elements.push({
        path,
        name: localName,
        qualifiedName: name,
        parent,
        line: start.line,
        column: start.column,
        attributes,
      });
      const selfClosing = text[close - 1] === '/';
      if (!selfClosing) stack.push(elements.length - 1);
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
  let quote = 0;
  for (let i = from; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === 0x22 || ch === 0x27) {
      quote = ch;
    } else if (ch === 0x3e) {
      return i;
    }
  }
  return text.length;
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d;
}

/** The end of the name that starts at `from`: the first space, `/` or `>` (or `end`). */
function nameEndAt(text: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const ch = text.charCodeAt(i);
    if (isSpace(ch) || ch === 0x2f || ch === 0x3e) break;
    i++;
  }
  return i;
}

/**
 * `name = "value"` pairs of a start tag between `from` and `end` (the closing `>`), one pass.
 * Text that is not such a pair is stepped over one character at a time; the well-formedness
 * check reports it.
 */
function* scanAttributes(text: string, from: number, end: number): Generator<{ name: string; offset: number }> {
  let i = from;
  while (i < end) {
    const ch = text.charCodeAt(i);
    if (isSpace(ch) || ch === 0x2f || ch === 0x3d) {
      i++;
      continue;
    }
    if (ch === 0x22 || ch === 0x27) {
      // A stray quoted run: skip it whole, so its insides are not read as names.
      const close = text.indexOf(text[i], i + 1);
      i = close < 0 || close >= end ? end : close + 1;
      continue;
    }
    const nameStart = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (isSpace(c) || c === 0x3d || c === 0x2f || c === 0x3e || c === 0x22 || c === 0x27) break;
      i++;
    }
    const nameStop = i;
    if (nameStop === nameStart) {
      i++; // a character that can't start a name (a stray ">" inside quotes): step over it
      continue;
    }
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 0x3d) continue;
    i++;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 0x22 && quote !== 0x27) continue;
    const close = text.indexOf(text[i], i + 1);
    if (close < 0 || close >= end) return;
    yield { name: text.slice(nameStart, nameStop), offset: nameStart };
    i = close + 1;
  }
}

/** parent index -> child name (local and qualified) -> child indexes in document order. */
type ChildIndex = Map<number, Map<string, number[]>>;

const childIndexes = new WeakMap<XmlScan, ChildIndex>();

function childIndexOf(scan: XmlScan): ChildIndex {
  let index = childIndexes.get(scan);
  if (!index) {
    index = new Map();
    scan.elements.forEach((element, i) => {
      let byName = index!.get(element.parent);
      if (!byName) index!.set(element.parent, (byName = new Map()));
      for (const name of element.qualifiedName === element.name
        ? [element.name]
        : [element.name, element.qualifiedName]) {
        const list = byName.get(name);
        if (list) list.push(i);
        else byName.set(name, [i]);
      }
    });
    childIndexes.set(scan, index);
  }
  return index;
}

/**
 * The position named by a JSON pointer into fast-xml-parser's output
 * (`/policy/setting/3/@_enforce`, `/policy/appliesTo/host/1`): the attribute if the pointer
 * ends in one, else the deepest element it reaches. O(pointer length) after the first call
 * on a scan (which indexes the elements once).
 */
export function positionAtPointer(scan: XmlScan, pointer: string, attributePrefix = '@_'): XmlPosition | undefined {
  const tokens = pointer.split('/').slice(1);
  const index = childIndexOf(scan);
  let current = -1;
  let found: XmlElementPosition | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.startsWith(attributePrefix)) return found?.attributes[token.slice(attributePrefix.length)] ?? found;
    if (token === '#text') return found;
    const ordinal = /^\d+$/.test(tokens[i + 1] ?? '') ? Number(tokens[++i]) : 0;
    const next = index.get(current)?.get(token)?.[ordinal];
    if (next === undefined) return found;
    found = scan.elements[next];
    current = next;
  }
  return found;
}

/** Line and column (1-based) of an offset in a text. */
export function positionOfOffset(text: string, offset: number): XmlPosition {
  return positionInLines(lineStarts(text), Math.min(offset, text.length));
}

/** The offset where each line starts (for many positions in one text: one pass, then binary search). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Line and column (1-based) of an offset, from the line starts of lineStarts(). */
export function positionInLines(starts: readonly number[], offset: number): XmlPosition {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low] + 1 };
}
