/**
 * The hostile inputs of issue 12 that are files (policy XML, profile JSON), written to a
 * folder on demand, so the resource tests and anyone reproducing a report build the same
 * bytes. Each returns the path it wrote.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = '<policy xmlns="urn:ftpsctl:policy:1" name="NAME" scope="machine" priority="100">';

function policyText(name: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${ROOT.replace('NAME', name)}\n${body}\n</policy>\n`;
}

/** Defect 1: `<description>` holding `depth` nested elements (issue: 100,000). */
export function deepNestingPolicy(folder: string, depth = 100_000): string {
  const file = path.join(folder, 'deep.xml');
  writeFileSync(
    file,
    policyText(
      'deep',
      `  <description>${'<b>'.repeat(depth)}x${'</b>'.repeat(depth)}</description>\n  <setting path="tls.enabled" enforce="mandatory">true</setting>`,
    ),
  );
  return file;
}

/** Defect 2: `count` `<setting>` elements in one file of about 1 MiB (issue: 19,000). */
export function manySettingsPolicy(folder: string, count = 19_000): string {
  const file = path.join(folder, 'many.xml');
  // 52 bytes a row: 19,000 rows stay under the 1 MiB a policy file may have
  const rows = Array.from(
    { length: count },
    (_, i) => `<setting path="port" enforce="mandatory">${20 + (i % 10)}</setting>`,
  );
  writeFileSync(file, policyText('many', rows.join('\n')));
  return file;
}

/**
 * Defect 3: a folder of `count` one-setting policies without appliesTo (issue: 10,000), each
 * a floor of TLS 1.2; with `contradiction`, the last one is a ceiling below another's floor.
 */
export function manyPolicyFolder(folder: string, count = 10_000, contradiction = false): string {
  const dir = path.join(folder, `policies-${count}`);
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (let i = 0; i < count; i++) {
    const last = contradiction && i === count - 1;
    const setting = last
      ? '<setting path="tls.minVersion" enforce="ceiling">TLSv1.2</setting>'
      : `<setting path="tls.minVersion" enforce="floor">TLSv1.${i === 0 && contradiction ? 3 : 2}</setting>`;
    writeFileSync(path.join(dir, `p${String(i).padStart(5, '0')}.xml`), policyText(`p${i}`, `  ${setting}`), {
      mode: 0o644,
    });
  }
  return dir;
}

/** `__proto__` (or another name JavaScript reserves) as an element of a policy. */
export function reservedNamePolicy(folder: string, name = '__proto__'): string {
  const file = path.join(folder, `reserved-${name.replace(/_/g, 'u')}.xml`);
  writeFileSync(
    file,
    policyText('reserved', `  <${name}>x</${name}>\n  <setting path="tls.enabled" enforce="mandatory">true</setting>`),
  );
  return file;
}

/** A policy saved as UTF-16 little-endian with a byte order mark (Notepad's "Unicode"). */
export function utf16Policy(folder: string): string {
  const file = path.join(folder, 'utf16.xml');
  writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(policyText('utf16', '  <setting path="tls.enabled" enforce="mandatory">true</setting>'), 'utf16le'),
    ]),
  );
  return file;
}

/** A profile whose port is written `port` (issue: 1e400). */
export function numberProfile(folder: string, port = '1e400'): string {
  const file = path.join(folder, `port-${port.replace(/[^0-9a-z]/gi, '_')}.json`);
  writeFileSync(file, `{\n  "name": "big-port",\n  "host": "127.0.0.1",\n  "port": ${port},\n  "user": "alice"\n}\n`);
  return file;
}
