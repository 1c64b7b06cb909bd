/**
 * Review (names between servers, file systems and the terminal): do audit events say the real
 * bytes of a name?
 *
 * A name that is not UTF-8 is kept as U+DC80..U+DCFF (name-codec.ts) and written into the
 * audit log by JSON.stringify as the escape "\udce9": a lone surrogate, which I-JSON (RFC 7493
 * §2.1, what log pipelines assume) forbids and RFC 8259 §8.2 calls unpredictable. jq and Go's
 * encoding/json read it as U+FFFD, Rust's serde_json (log shippers) rejects the whole line.
 * So downloads of `a\xe9.bin` and `a\xe8.bin` become the same `file.path` "in/a\uFFFD.bin" in
 * a SIEM, or the events go missing; nothing else in the event carries the bytes.
 *
 * Fixed: event lines are I-JSON (U+FFFD for such a byte), and ftpsctl.file_path_bytes carries
 * the name's exact bytes in hex.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestPki, type TestPki } from '../../src/loopback/pki';
import { withHostileProfile } from '../helpers/hostile-profile';
import { runBounded } from './run-bounded';

jest.setTimeout(60_000);

let pki: TestPki;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ftpsctl-review-names-audit-'));
  pki = await createTestPki(path.join(dir, 'pki'), { keyType: 'ec' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A surrogate that is not half of a pair (the `u` flag matches a pair as one character). */
const LONE_SURROGATE = /[\ud800-\udfff]/gu;

let runs = 0;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What a reader that replaces lone surrogates by U+FFFD (jq, Go) gets. */
function asJqReadsIt(value: Json): Json {
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\ufffd');
  if (Array.isArray(value)) return value.map(asJqReadsIt);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJqReadsIt(v)]));
  return value;
}

function strings(value: Json): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The `transfer` event of a download mirror of one file whose name ends in `byte`. */
async function transferEvent(byte: number): Promise<{ line: string; event: Record<string, Json> }> {
  runs += 1;
  const name = `byte-${byte.toString(16)}-${runs}`;
  const listing = Buffer.concat([
    Buffer.from('-rw-r--r--    1 ftp      ftp        102400 Jan 01 00:00 a'),
    Buffer.from([byte]),
    Buffer.from('.bin\r\n'),
  ]);
  const log = path.join(dir, `${name}.jsonl`);
  const local = path.join(dir, name);
  mkdirSync(local);
  await withHostileProfile({ dir, pki, name, passwordEnv: 'PW' }, { payloads: { listing } }, async (profile) => {
    // A mirror refuses such a name (no local file can carry its bytes); `session get` of the name as
    // `ls` shows it, into a LOCAL name, fetches it.
    const shown = `in/a\\u{dc${byte.toString(16)}}.bin`;
    const run = await runBounded(['session', 'get', profile, shown, path.join(local, 'a.bin'), '--audit-log', log], {
      cwd: dir,
      env: { PW: `pw-${name}-1` },
      boundMs: 30_000,
    });
    expect(run.code).toBe(0);
  });
  const line = readFileSync(log, 'utf8')
    .split('\n')
    .find((l) => l.includes('"action":"transfer"'));
  expect(line).toBeDefined();
  return { line: line as string, event: JSON.parse(line as string) as Record<string, Json> };
}

describe('audit events of a file whose name is not UTF-8', () => {
  it('are I-JSON: no string holds a lone surrogate', async () => {
    const { event } = await transferEvent(0xe9);
    expect(strings(event).filter((text) => new RegExp(LONE_SURROGATE.source, 'u').test(text))).toEqual([]);
  });

  it('keep two names that differ in one such byte apart, read as jq reads them', async () => {
    const e9 = (await transferEvent(0xe9)).event;
    const e8 = (await transferEvent(0xe8)).event;
    // Fixed: file.path carries U+FFFD (I-JSON); ftpsctl.file_path_bytes the exact bytes.
    const named = (event: Record<string, Json>): Json => ({
      file: event.file,
      bytes: (event.ftpsctl as Record<string, Json>).file_path_bytes,
    });
    expect(asJqReadsIt(named(e9))).not.toEqual(asJqReadsIt(named(e8)));
    expect((e9.ftpsctl as Record<string, Json>).file_path_bytes).toBe(
      Buffer.from('in/a\xe9.bin', 'latin1').toString('hex'),
    );
  });
});
