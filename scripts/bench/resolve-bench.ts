/** `npm run bench -- resolve`: 10,000 profiles against 20 policy files, on one core, in this process. */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parsePolicyText } from '../../src/policy/parse-policy';
import type { Policy } from '../../src/policy/policy';
import type { PolicySet } from '../../src/policy/policy-set';
import type { SessionProfile } from '../../src/settings/generated/session-profile';
import { resolveProfile } from '../../src/resolve/resolve-profile';

/** 20 policies of the kinds admins write: baselines, per-team floors, host lists, user defaults. */
function makePolicies(): Policy[] {
  const texts: string[] = [];
  const header = (name: string, scope: string, priority: number, applies = ''): string =>
    `<?xml version="1.0"?>\n<policy xmlns="urn:ftpsctl:policy:1" name="${name}" scope="${scope}" priority="${priority}">\n${applies}`;
  texts.push(
    `${header('baseline', 'machine', 100)}<setting path="tls.enabled" enforce="mandatory">true</setting><setting path="tls.minVersion" enforce="floor">TLSv1.2</setting><setting path="tls.validateCertificateChain" enforce="mandatory">true</setting><setting path="tls.encryptDataChannel" enforce="mandatory">true</setting><setting path="tls.clearCommandChannel" enforce="mandatory">false</setting></policy>`,
  );
  for (let team = 0; team < 12; team++) {
    texts.push(
      `${header(`team-${team}`, team % 3 === 0 ? 'user' : 'machine', 200 + team, `<appliesTo><profile>team${team}-*</profile></appliesTo>`)}<setting path="tls.minVersion" enforce="floor">TLSv1.${team % 2 === 0 ? 3 : 2}</setting><setting path="transfer.verify" enforce="${team % 2 === 0 ? 'floor' : 'recommended'}">hash</setting><setting path="network.connectTimeoutMs" enforce="ceiling">${20000 + team * 1000}</setting><setting path="transfer.parallel" enforce="recommended">${1 + (team % 8)}</setting></policy>`,
    );
  }
  for (let zone = 0; zone < 4; zone++) {
    texts.push(
      `${header(`zone-${zone}`, 'machine', 300 + zone, `<appliesTo><host>*.zone${zone}.example</host></appliesTo>`)}<setting path="host" enforce="allow"><value>*.zone${zone}.example</value></setting><setting path="tls.fipsMode" enforce="${zone === 0 ? 'mandatory' : 'recommended'}">true</setting><setting path="tls.encryptionStrength" enforce="floor">128</setting></policy>`,
    );
  }
  texts.push(
    `${header('deny-net', 'machine', 50)}<setting path="host" enforce="deny"><value>*.example.net</value><value>*.test</value></setting></policy>`,
  );
  texts.push(
    `${header('user-defaults', 'user', 10)}<setting path="tls.minVersion" enforce="recommended">TLSv1.3</setting><setting path="network.idleTimeoutMs" enforce="recommended">120000</setting></policy>`,
  );
  texts.push(
    `${header('audit', 'machine', 400, '<appliesTo><profile>team1*</profile></appliesTo>')}<setting path="audit.logFile" enforce="mandatory">/var/log/ftpsctl/audit.jsonl</setting></policy>`,
  );
  return texts.map((text, i) => {
    const parsed = parsePolicyText(text, `bench-${String(i).padStart(2, '0')}.xml`);
    if (!parsed.policy) throw new Error(`bench policy ${i}: ${JSON.stringify(parsed.problems)}`);
    return parsed.policy;
  });
}

function makeProfiles(count: number): SessionProfile[] {
  const profiles: SessionProfile[] = [];
  for (let i = 0; i < count; i++) {
    const host = i % 50 === 0 ? `drop${i}.example.net` : `ftp${i % 97}.zone${i % 6}.example`;
    const profile: SessionProfile = { name: `team${i % 15}-p${i}`, host, user: `u${i}`, password: { env: 'PW' } };
    if (i % 3 === 0) profile.tls = { minVersion: 'TLSv1.2', clearCommandChannel: i % 6 === 0 };
    if (i % 5 === 0) profile.network = { connectTimeoutMs: 45000 };
    if (i % 7 === 0) profile.transfer = { verify: 'size', parallel: 8 };
    profiles.push(profile);
  }
  return profiles;
}

/** `count` profiles, `runCount` runs (the full benchmark: 10,000 and 5; --quick: 2,000 and 1). */
export function benchResolve(count = 10_000, runCount = 5): string {
  const policies = makePolicies();
  const set: PolicySet = { sources: ['bench'], policies, failures: [], ignored: [], warnings: [] };
  const profiles = makeProfiles(count);
  resolveProfile({ raw: profiles[0] }, set); // warm-up: compile the catalog's validators once
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let refused = 0;
  for (let run = 0; run < runCount; run++) {
    // A fresh set each run, so the merged-layer cache starts empty as in a real audit.
    const fresh: PolicySet = { ...set };
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    refused = 0;
    for (const raw of profiles) if (resolveProfile({ raw }, fresh).decision === 'refuse') refused++;
    runs.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpuRuns.push((cpu.user + cpu.system) / 1000);
  }
  runs.sort((a, b) => a - b);
  cpuRuns.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)];
  const cpuMedian = cpuRuns[Math.floor(cpuRuns.length / 2)];
  const target =
    count === 10_000 ? `< 1000 ms: ${median < 1000 ? 'met' : 'NOT met'}` : `(${count} profiles: no target)`;
  return [
    `Resolution: ${profiles.length.toLocaleString('en')} profiles against ${policies.length} policy files (${policies.reduce((n, p) => n + p.settings.length, 0)} settings), one core, Node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}.`,
    '',
    '| runs | median | fastest | slowest | CPU (median) | per profile | refused | load | target |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${runCount} | ${median.toFixed(0)} ms | ${runs[0].toFixed(0)} ms | ${runs[runs.length - 1].toFixed(0)} ms | ${cpuMedian.toFixed(0)} ms | ${((median * 1000) / profiles.length).toFixed(1)} µs | ${refused} | ${os.loadavg()[0].toFixed(1)} | ${target} |`,
    '',
    "Wall time is what the target is about; CPU time is this process's own (user + system), which other work on the machine does not inflate. When the load average is above the core count the two drift apart.",
  ].join('\n');
}
