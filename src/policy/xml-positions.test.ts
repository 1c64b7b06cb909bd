import { positionAtPointer, scanXmlPositions } from './xml-positions';

/** A document written one line per argument, so line numbers can be read off the test. */
function lines(...rows: string[]): string {
  return `${rows.join('\n')}\n`;
}

const FINANCE_POLICY = lines(
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<policy xmlns="urn:ftpsctl:policy:1" name="finance" scope="machine" priority="300">',
  '  <appliesTo>',
  '    <profile>finance-*</profile>',
  '    <host>*.bank.example</host>',
  '    <host>ftps.clearing.example</host>',
  '  </appliesTo>',
  '  <setting path="host" enforce="allow">',
  '    <value>*.bank.example</value>',
  '  </setting>',
  '  <setting path="proxy.enabled" enforce="mandatory">true</setting>',
  '</policy>',
);

describe('scanXmlPositions', () => {
  it('records every start tag with its element path, parent and position', () => {
    const scan = scanXmlPositions(FINANCE_POLICY);
    expect(scan.elements.map(({ path, parent, line, column }) => ({ path, parent, line, column }))).toEqual([
      { path: 'policy', parent: -1, line: 2, column: 1 },
      { path: 'policy/appliesTo', parent: 0, line: 3, column: 3 },
      { path: 'policy/appliesTo/profile', parent: 1, line: 4, column: 5 },
      { path: 'policy/appliesTo/host', parent: 1, line: 5, column: 5 },
      { path: 'policy/appliesTo/host', parent: 1, line: 6, column: 5 },
      { path: 'policy/setting', parent: 0, line: 8, column: 3 },
      { path: 'policy/setting/value', parent: 5, line: 9, column: 5 },
      { path: 'policy/setting', parent: 0, line: 11, column: 3 },
    ]);
    expect(scan.doctype).toBeUndefined();
  });

  it('records where each attribute name starts', () => {
    const scan = scanXmlPositions(FINANCE_POLICY);
    expect(scan.elements[0].attributes).toEqual({
      xmlns: { line: 2, column: 9 },
      name: { line: 2, column: 38 },
      scope: { line: 2, column: 53 },
      priority: { line: 2, column: 69 },
    });
    expect(scan.elements[5].attributes).toEqual({ path: { line: 8, column: 12 }, enforce: { line: 8, column: 24 } });
  });

  it('records attributes written over several lines, in either quote style, with spaces around "="', () => {
    const scan = scanXmlPositions(
      lines(
        "<policy name='corp'>",
        '  <setting',
        '      path="tls.minVersion"',
        "      enforce = 'floor'>TLSv1.2</setting>",
        '</policy>',
      ),
    );
    expect(scan.elements[0].attributes).toEqual({ name: { line: 1, column: 9 } });
    expect(scan.elements[1]).toMatchObject({
      path: 'policy/setting',
      line: 2,
      column: 3,
      attributes: { path: { line: 3, column: 7 }, enforce: { line: 4, column: 7 } },
    });
  });

  it("does not treat the children of a self-closing tag's sibling as its children", () => {
    const scan = scanXmlPositions(
      '<policy><appliesTo/><setting path="a" enforce="mandatory"/><description>x</description></policy>',
    );
    expect(scan.elements.map(({ path, parent, column }) => ({ path, parent, column }))).toEqual([
      { path: 'policy', parent: -1, column: 1 },
      { path: 'policy/appliesTo', parent: 0, column: 9 },
      { path: 'policy/setting', parent: 0, column: 21 },
      { path: 'policy/description', parent: 0, column: 60 },
    ]);
  });

  it('treats "<appliesTo />" (space before the slash) as self-closing', () => {
    const scan = scanXmlPositions('<policy><appliesTo /><setting/></policy>');
    expect(scan.elements.map((element) => element.path)).toEqual(['policy', 'policy/appliesTo', 'policy/setting']);
  });

  it('skips comments, even ones with "<" and tags inside, spread over several lines', () => {
    const scan = scanXmlPositions(
      lines(
        '<policy>',
        '  <!-- disabled until the audit: <setting path="tls.fipsMode" enforce="mandatory">',
        '       true </setting> -->',
        '  <setting path="tls.enabled" enforce="mandatory">true</setting>',
        '</policy>',
      ),
    );
    expect(scan.elements.map(({ path, line, column }) => ({ path, line, column }))).toEqual([
      { path: 'policy', line: 1, column: 1 },
      { path: 'policy/setting', line: 4, column: 3 },
    ]);
    expect(scan.elements[1].attributes).toEqual({ path: { line: 4, column: 12 }, enforce: { line: 4, column: 31 } });
  });

  it('skips CDATA sections, whose "<" and ">" are text', () => {
    const scan = scanXmlPositions(
      lines(
        '<policy>',
        '  <description><![CDATA[Use <value> for',
        '    lists & <b>never</b> entities]]></description>',
        '  <setting path="tls.enabled" enforce="mandatory">true</setting>',
        '</policy>',
      ),
    );
    expect(scan.elements.map(({ path, line, column }) => ({ path, line, column }))).toEqual([
      { path: 'policy', line: 1, column: 1 },
      { path: 'policy/description', line: 2, column: 3 },
      { path: 'policy/setting', line: 4, column: 3 },
    ]);
  });

  it('skips the XML declaration and processing instructions', () => {
    const scan = scanXmlPositions(
      lines('<?xml version="1.0"?>', '<?xml-stylesheet href="policy.xsl" type="text/xsl"?>', '<policy name="a"/>'),
    );
    expect(scan.elements).toEqual([
      {
        path: 'policy',
        name: 'policy',
        qualifiedName: 'policy',
        parent: -1,
        line: 3,
        column: 1,
        attributes: { name: { line: 3, column: 9 } },
      },
    ]);
  });

  it('finds the end of a start tag past a ">" inside a quoted attribute value', () => {
    const scan = scanXmlPositions(lines('<policy note="a > b" other=\'c>d\'>', '  <setting path="x"/>', '</policy>'));
    expect(scan.elements.map(({ path, line, column, attributes }) => ({ path, line, column, attributes }))).toEqual([
      {
        path: 'policy',
        line: 1,
        column: 1,
        attributes: { note: { line: 1, column: 9 }, other: { line: 1, column: 22 } },
      },
      { path: 'policy/setting', line: 2, column: 3, attributes: { path: { line: 2, column: 12 } } },
    ]);
  });

  it('does not take a "/" at the end of a quoted value for a self-closing tag', () => {
    const scan = scanXmlPositions('<policy><setting path="audit/"><value>a</value></setting></policy>');
    expect(scan.elements.map((element) => element.path)).toEqual(['policy', 'policy/setting', 'policy/setting/value']);
  });

  it('counts CRLF line ends as one line break and does not count the CR as a column', () => {
    const scan = scanXmlPositions(
      '<?xml version="1.0"?>\r\n<policy name="a">\r\n\r\n  <setting path="tls.enabled"/>\r\n</policy>\r\n',
    );
    expect(scan.elements.map(({ path, line, column, attributes }) => ({ path, line, column, attributes }))).toEqual([
      { path: 'policy', line: 2, column: 1, attributes: { name: { line: 2, column: 9 } } },
      { path: 'policy/setting', line: 4, column: 3, attributes: { path: { line: 4, column: 12 } } },
    ]);
  });

  it('counts a tab as one column', () => {
    const scan = scanXmlPositions('<policy>\n\t<setting\tpath="a"/>\n</policy>');
    expect(scan.elements[1]).toMatchObject({ line: 2, column: 2, attributes: { path: { line: 2, column: 11 } } });
  });

  it('strips a namespace prefix from the element name but keeps it in the qualified name', () => {
    const scan = scanXmlPositions('<p:policy xmlns:p="urn:ftpsctl:policy:1"><p:setting path="a"/></p:policy>');
    expect(scan.elements.map(({ path, name, qualifiedName }) => ({ path, name, qualifiedName }))).toEqual([
      { path: 'policy', name: 'policy', qualifiedName: 'p:policy' },
      { path: 'policy/setting', name: 'setting', qualifiedName: 'p:setting' },
    ]);
    expect(scan.elements[0].attributes).toEqual({ 'xmlns:p': { line: 1, column: 11 } });
  });

  it('detects a DOCTYPE with an internal subset and where it starts, and still finds the root after it', () => {
    const scan = scanXmlPositions(
      lines(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE policy [',
        '  <!ENTITY corp "corp.example">',
        ']>',
        '<policy name="corp-baseline">',
        '  <setting path="host" enforce="allow"><value>*.&corp;</value></setting>',
        '</policy>',
      ),
    );
    expect(scan.doctype).toEqual({ line: 2, column: 1 });
    expect(scan.elements.map(({ path, line, column }) => ({ path, line, column }))).toEqual([
      { path: 'policy', line: 5, column: 1 },
      { path: 'policy/setting', line: 6, column: 3 },
      { path: 'policy/setting/value', line: 6, column: 40 },
    ]);
  });

  it('detects a DOCTYPE that is not at the start of its line', () => {
    expect(scanXmlPositions('<?xml version="1.0"?>  <!DOCTYPE policy SYSTEM "policy.dtd"><policy/>').doctype).toEqual({
      line: 1,
      column: 24,
    });
  });

  it('reports only the first DOCTYPE', () => {
    expect(scanXmlPositions('<!DOCTYPE a>\n<!DOCTYPE b>\n<a/>').doctype).toEqual({ line: 1, column: 1 });
  });

  it('does not take a DOCTYPE inside a comment or a CDATA section for a real one', () => {
    expect(scanXmlPositions('<!-- <!DOCTYPE policy> -->\n<policy/>').doctype).toBeUndefined();
    expect(
      scanXmlPositions('<policy><description><![CDATA[<!DOCTYPE policy>]]></description></policy>').doctype,
    ).toBeUndefined();
  });

  it('returns no elements for text without tags', () => {
    expect(scanXmlPositions('just text\n')).toEqual({ elements: [] });
    expect(scanXmlPositions('')).toEqual({ elements: [] });
  });
});

describe('positionAtPointer', () => {
  const scan = scanXmlPositions(FINANCE_POLICY);

  it('finds the root element', () => {
    expect(positionAtPointer(scan, '/policy')).toMatchObject({ line: 2, column: 1 });
  });

  it('finds an attribute of the root', () => {
    expect(positionAtPointer(scan, '/policy/@_priority')).toEqual({ line: 2, column: 69 });
  });

  it('finds the n-th repeated element by its index', () => {
    expect(positionAtPointer(scan, '/policy/appliesTo/host/0')).toMatchObject({ line: 5, column: 5 });
    expect(positionAtPointer(scan, '/policy/appliesTo/host/1')).toMatchObject({ line: 6, column: 5 });
    expect(positionAtPointer(scan, '/policy/setting/1')).toMatchObject({ line: 11, column: 3 });
  });

  it('takes a missing index as the first element of that name', () => {
    expect(positionAtPointer(scan, '/policy/appliesTo')).toMatchObject({ line: 3, column: 3 });
    expect(positionAtPointer(scan, '/policy/appliesTo/profile')).toMatchObject({ line: 4, column: 5 });
  });

  it('finds an attribute of the n-th element', () => {
    expect(positionAtPointer(scan, '/policy/setting/1/@_enforce')).toEqual({ line: 11, column: 33 });
    expect(positionAtPointer(scan, '/policy/setting/0/@_path')).toEqual({ line: 8, column: 12 });
  });

  it('finds an element nested in a repeated element', () => {
    expect(positionAtPointer(scan, '/policy/setting/0/value/0')).toMatchObject({ line: 9, column: 5 });
  });

  it('falls back to the element when the attribute is not written', () => {
    expect(positionAtPointer(scan, '/policy/setting/1/@_note')).toMatchObject({ line: 11, column: 3 });
  });

  it('gives the element for its text', () => {
    expect(positionAtPointer(scan, '/policy/setting/1/#text')).toMatchObject({ line: 11, column: 3 });
  });

  it('gives the deepest element it reaches when the rest of the pointer does not exist', () => {
    expect(positionAtPointer(scan, '/policy/setting/7')).toMatchObject({ line: 2, column: 1 });
    expect(positionAtPointer(scan, '/policy/description')).toMatchObject({ line: 2, column: 1 });
    expect(positionAtPointer(scan, '/policy/appliesTo/host/2')).toMatchObject({ line: 3, column: 3 });
  });

  it('gives nothing for the empty pointer or an unknown root', () => {
    expect(positionAtPointer(scan, '')).toBeUndefined();
    expect(positionAtPointer(scan, '/policies')).toBeUndefined();
  });

  it('counts only children of the element reached, not elements of the same name elsewhere', () => {
    const nested = scanXmlPositions(
      lines('<policy>', '  <appliesTo><host>a</host></appliesTo>', '  <host>b</host>', '</policy>'),
    );
    expect(positionAtPointer(nested, '/policy/host/0')).toMatchObject({ line: 3, column: 3 });
    expect(positionAtPointer(nested, '/policy/appliesTo/host/0')).toMatchObject({ line: 2, column: 14 });
  });

  it('matches elements by qualified name as well as by local name', () => {
    const prefixed = scanXmlPositions(
      '<p:policy xmlns:p="urn:ftpsctl:policy:1">\n  <p:setting p:path="a"/>\n</p:policy>',
    );
    expect(positionAtPointer(prefixed, '/p:policy/p:setting/0/@_p:path')).toEqual({ line: 2, column: 14 });
    expect(positionAtPointer(prefixed, '/policy/setting/0')).toMatchObject({ line: 2, column: 3 });
  });

  it('uses the attribute prefix it is given', () => {
    expect(positionAtPointer(scan, '/policy/setting/0/$enforce', '$')).toEqual({ line: 8, column: 24 });
  });
});

describe('hostile documents (issue 12)', () => {
  it('finds the 19,000th <setting> and its attributes by pointer, at its own line', () => {
    const rows = Array.from({ length: 19_000 }, (_, i) => `  <setting path="p${i}" enforce="mandatory">true</setting>`);
    const scan = scanXmlPositions(lines('<policy name="big">', ...rows, '</policy>'));
    expect(scan.elements).toHaveLength(19_001);
    expect(positionAtPointer(scan, '/policy/setting/18999')).toMatchObject({ line: 19_001, column: 3 });
    expect(positionAtPointer(scan, '/policy/setting/18999/@_enforce')).toEqual({ line: 19_001, column: 26 });
    expect(positionAtPointer(scan, '/policy/setting/0/@_path')).toEqual({ line: 2, column: 12 });
    // past the last one: the deepest element reached
    expect(positionAtPointer(scan, '/policy/setting/19000')).toMatchObject({ line: 1, column: 1, path: 'policy' });
  });

  it('stops at the first element deeper than maxDepth and says where', () => {
    const text = `<a>${'<b>'.repeat(100_000)}${'</b>'.repeat(100_000)}</a>`;
    const scan = scanXmlPositions(text);
    expect(scan.tooDeep).toEqual({ line: 1, column: 1 + 3 + 31 * 3, maxDepth: 32 });
    expect(scan.elements).toHaveLength(32);
    expect(scan.elements[31].path.split('/')).toHaveLength(32);
    expect(scanXmlPositions(text, { maxDepth: 5 }).tooDeep).toEqual({ line: 1, column: 1 + 3 + 4 * 3, maxDepth: 5 });
  });

  it('keeps "__proto__", "constructor" and "toString" attributes as plain data', () => {
    const scan = scanXmlPositions('<policy __proto__="x" constructor="y" toString="z"/>');
    const attributes = scan.elements[0].attributes;
    expect(Object.keys(attributes)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(attributes['__proto__']).toEqual({ line: 1, column: 9 });
    expect(Object.getPrototypeOf(attributes)).toBeNull();
    expect(positionAtPointer(scan, '/policy/@___proto__')).toEqual({ line: 1, column: 9 });
    expect(positionAtPointer(scan, '/policy/@_hasOwnProperty')).toMatchObject({ line: 1, column: 1 });
  });

  it('reads no names out of quoted text, stray quotes or a tag with no "=" (one pass)', () => {
    const scan = scanXmlPositions(`<policy "a=\\"b\\"" name = 'n' ${'x'.repeat(200_000)} s="1">`);
    expect(Object.keys(scan.elements[0].attributes)).toEqual(['name', 's']);
  });
});

describe('inputs found by fuzzing', () => {
  // parse-policy.fuzz.test.ts: the attribute scan did not advance past a ">" inside a quoted tag
  it.each(['?<"><?"\n]]', '<a ">" b="1">', '<a >>', '<a =>', '<a "x>', "<a '>'/>"])('scans %j to the end', (text) => {
    const scan = scanXmlPositions(text);
    expect(scan.elements.length).toBeGreaterThanOrEqual(1);
  });
});
