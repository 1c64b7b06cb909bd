/** `startup` section: `ftpsctl --version` against a bare `node -e 0`, interleaved. Target ≤ 2×. */
import { cli, node, type BenchContext } from './bench-context';
import { interleave, type Contender } from './interleave';
import { timed, type Summary } from './measure';

export async function benchStartup(context: BenchContext): Promise<string> {
  const contenders: Contender[] = [
    { name: 'node -e 0', measure: () => timed(node, ['-e', '0']) },
    { name: 'ftpsctl --version', measure: () => timed(node, [cli, '--version']) },
    { name: 'ftpsctl --help (loads oclif)', measure: () => timed(node, [cli, '--help']) },
  ];
  context.progress('startup');
  const runs = context.quick ? 2 : 20;
  const results = await interleave(contenders, { runs, pauseMs: 0, failFast: true });
  const bare = results.get('node -e 0') as Summary;
  const rows = contenders.map((c) => {
    const r = results.get(c.name) as Summary;
    const times = r.wall / bare.wall;
    const target = c.name === 'ftpsctl --version' ? ` (target ≤ 2×: ${times <= 2 ? 'met' : 'NOT met'})` : '';
    return `| ${c.name} | ${(r.wall * 1000).toFixed(0)} ms | ${(r.cpu * 1000).toFixed(0)} ms | ${r.rssMiB.toFixed(0)} MiB | ${times.toFixed(2)}×${target} |`;
  });
  return [
    `${runs} interleaved runs each; median wall time (GNU time has 10 ms resolution), client CPU and peak RSS.`,
    '',
    'Commands: `node -e 0`, `node bin/run.js --version`, `node bin/run.js --help`, each under `/usr/bin/time -f "%e %U %S %M"`.',
    '',
    '| command | wall | CPU | peak RSS | vs node -e 0 |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
