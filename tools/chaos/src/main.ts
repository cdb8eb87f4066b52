// `npm run chaos`: the whole chaos suite against a stack of its own, printing the table of
// fault → events acked / counted / dead-lettered / equal to rebuild. Exits 1 unless every row is exact.
//   npm run chaos -- [--faults kill:pricing,kill:nats,freeze-postgres:30,restart-postgres] [--rate 200]
import { parseArgs } from 'node:util';
import { chaosTable, runChaosSuite } from './chaos-suite.js';
import { ALL_FAULTS, parseFault } from './faults.js';

const { values } = parseArgs({
  options: {
    faults: { type: 'string' },
    rate: { type: 'string', default: '200' },
    lead: { type: 'string', default: '5' },
    trail: { type: 'string', default: '5' },
    'settle-timeout': { type: 'string', default: '300' },
    'rebuild-once': { type: 'boolean', default: false },
  },
});

const faults = values.faults ? values.faults.split(',').map(parseFault) : ALL_FAULTS;
const started = Date.now();
const log = (line: string) => console.log(`[chaos ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);

try {
  const rows = await runChaosSuite({
    faults,
    eventsPerSecond: Number(values.rate),
    leadMs: Number(values.lead) * 1000,
    trailMs: Number(values.trail) * 1000,
    rebuild: values['rebuild-once'] ? 'last' : 'each',
    settleTimeoutMs: Number(values['settle-timeout']) * 1000,
    log,
  });
  console.log(`\n${chaosTable(rows)}\n`);
  const failed = rows.filter((row) => !row.exact || row.equalToRebuild === false);
  for (const row of failed) console.log(`NOT EXACT — ${row.fault}: ${row.problems.join(' | ')}`);
  process.exitCode = failed.length === 0 ? 0 : 1;
} catch (error) {
  console.error(`chaos suite failed: ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
}
