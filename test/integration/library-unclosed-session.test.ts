/**
 * A program that opens a managed session and exits without close(): its audit trail still
 * says where the session ended (session.end, outcome unknown, event.reason), written as the
 * process exits, and `audit sessions` reads it as incomplete. A closed session gets exactly
 * one session.end. Runs the built library (dist/) in child processes, as a program would.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { summariseSessionLog } from '../../src/audit/session-log-summary';
import { startLibraryWorkspace, type LibraryWorkspace } from '../helpers/library-workspace';

jest.setTimeout(60_000);

const PASSWORD = 'unclosed-session-secret-0b7e';
const LIBRARY = path.resolve(__dirname, '../../dist/src/index.js');
let workspace: LibraryWorkspace;

beforeAll(async () => (workspace = await startLibraryWorkspace(PASSWORD)));
afterAll(() => workspace?.stop());

interface Event {
  event: { action: string; outcome?: string; reason?: string };
  [field: string]: unknown;
}

/** Runs `body` (JavaScript, with `session` connected and `log` the audit log) in a new Node process. */
async function runProgram(name: string, body: string): Promise<{ log: string; events: Event[]; stderr: string }> {
  const profile = workspace.profileFolder(name);
  const log = path.join(workspace.dir, `${name}.audit.jsonl`);
  const program = path.join(workspace.dir, `${name}.js`);
  writeFileSync(
    program,
    `const { connect } = require(${JSON.stringify(LIBRARY)});
(async () => {
  const log = ${JSON.stringify(log)};
  const session = await connect(${JSON.stringify(profile)}, { auditLogFiles: [log] });
  await session.list();
  ${body}
})().catch((error) => { console.error(error.message); process.exit(9); });\n`,
  );
  const { stderr } = await promisify(execFile)(process.execPath, [program], { timeout: 30_000 }).catch(
    (error: { stderr?: string; code?: number }) => {
      throw new Error(`the program failed (exit ${error.code}): ${error.stderr}`);
    },
  );
  const events = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Event);
  return { log, events, stderr };
}

const ends = (events: Event[]): Event[] => events.filter((e) => e.event.action === 'session.end');

describe('a library session the program never closes', () => {
  it('process.exit() with the session open: session.end with outcome unknown and the reason, as the last event', async () => {
    const { log, events } = await runProgram('exit-open', 'process.exit(0);');
    expect(events.map((e) => e.event.action)).toEqual(['session.start', 'tls.established', 'session.end']);
    expect(ends(events)[0]!.event).toMatchObject({
      outcome: 'unknown',
      reason: expect.stringContaining('exited without closing the session'),
    });
    const report = summariseSessionLog(log, readFileSync(log, 'utf8'));
    expect(report.sessions).toHaveLength(1);
    expect(report.sessions[0]).toMatchObject({ outcome: 'incomplete', reason: expect.stringContaining('close()') });
  });

  it('an uncaught error with the session open: the same', async () => {
    const { events } = await runProgram(
      'throws-open',
      "setImmediate(() => { throw new Error('the program broke'); });",
    ).catch((error: Error) => {
      expect(error.message).toContain('the program broke');
      const log = path.join(workspace.dir, 'throws-open.audit.jsonl');
      return {
        events: readFileSync(log, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Event),
      };
    });
    expect(ends(events).map((e) => e.event.outcome)).toEqual(['unknown']);
  });

  it('a closed session has exactly one session.end (success), none added at exit', async () => {
    const { events } = await runProgram('closed', 'await session.close(); process.exit(0);');
    expect(ends(events).map((e) => e.event.outcome)).toEqual(['success']);
  });

  it('process.exit() during close(): still one session.end', async () => {
    const { events } = await runProgram('exit-during-close', 'session.close(); process.exit(0);');
    expect(ends(events)).toHaveLength(1);
  });
});
