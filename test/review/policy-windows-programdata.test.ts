/**
 * Review (policy bypass, Windows): %ProgramData% is the user's to set (`set ProgramData=...`
 * in their own shell), yet the folder it names is read as a MACHINE source: kind "machine",
 * ranked as its files declare. On Windows the StrictModes check is skipped (strict-modes.ts
 * trusts "%ProgramData%, writable only by administrators by default"), so a user who points
 * %ProgramData% at a folder of their own gets machine rank for `scope="machine"
 * priority="999999"` files there, and their mandatory values outrank the administrator's
 * (priority 100) in C:\ProgramData\ftpsctl\policies: fipsMode, validation, PROT, CCC...
 * Contract: README "A folder a user names ranks as user scope at most"; DESIGN.md wave 2
 * "A policy's rank is capped by its source".
 */
import { machinePolicySource } from '../../src/policy/policy-sources';

const USER_FOLDER = 'C:\\Users\\mallory\\AppData\\Local\\fake';
const USER_POLICIES = `${USER_FOLDER}\\ftpsctl\\policies`;

describe('%ProgramData% set by the user, on Windows', () => {
  it('the folder it names is never a machine-rank source while C:\\ProgramData\\ftpsctl\\policies exists', () => {
    const source = machinePolicySource({ env: { ProgramData: USER_FOLDER }, platform: 'win32', exists: () => true });
    const machineRank = source.specs.filter((s) => s.kind === 'machine').map((s) => s.path);
    // Found: [USER_POLICIES, 'C:\\ProgramData\\ftpsctl\\policies'], the user's folder first, both kind "machine".
    expect(machineRank).not.toContain(USER_POLICIES);
    expect(machineRank).toContain('C:\\ProgramData\\ftpsctl\\policies');
  });

  it('nor when only the folder it names exists', () => {
    const source = machinePolicySource({
      env: { ProgramData: USER_FOLDER },
      platform: 'win32',
      exists: (folder) => folder === USER_POLICIES,
    });
    // Found: the user's folder becomes the machine folder (kind "machine", rank as declared).
    expect(source.specs.filter((s) => s.kind === 'machine').map((s) => s.path)).not.toContain(USER_POLICIES);
  });
});
