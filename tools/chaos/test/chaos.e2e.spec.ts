import { chaosTable, runChaosSuite } from '../src/chaos-suite.js';
import { parseFault } from '../src/faults.js';

// The short chaos suite inside `npm test`: a service killed mid-load, nats-server killed and
// restarted on its file store, PostgreSQL frozen, then restarted; then every read model rebuilt. `npm run chaos`
// runs the whole suite (every service, longer freezes, a PostgreSQL restart).
describe('chaos (short): faults under load lose nothing and count nothing twice', () => {
  it('kill -9 of pricing, kill -9 of nats-server, PostgreSQL frozen 10 s and restarted: every acked event counted once, none dead-lettered, no service down, equal to a rebuild', async () => {
    const lines: string[] = [];
    const rows = await runChaosSuite({
      faults: ['kill:pricing', 'kill:nats', 'freeze-postgres:10', 'restart-postgres'].map(parseFault),
      eventsPerSecond: 100,
      leadMs: 3_000,
      trailMs: 3_000,
      rebuild: 'last',
      settleTimeoutMs: 180_000,
      log: (line) => lines.push(line),
    });
    const report = `${chaosTable(rows)}\n${lines.join('\n')}`;
    for (const row of rows) {
      expect({ fault: row.fault, problems: row.problems, report }).toEqual({ fault: row.fault, problems: [], report });
      expect(row.acked).toBeGreaterThan(0);
      expect(row.counted).toBe(row.acked);
      expect(row.deadLettered).toBe(0);
      expect(row.exact).toBe(true);
    }
    expect(rows.at(-1)!.equalToRebuild).toBe(true);
  }, 600_000);
});
