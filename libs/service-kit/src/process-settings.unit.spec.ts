import { execFileSync } from 'node:child_process';
import { SERVICE_PROCESS_ENV, withServiceProcessSettings } from './process-settings.js';

// A process that allocates fast, as a consumer under load does, and reports the largest young
// generation V8 gave it, in MB.
const program = `
import { getHeapSpaceStatistics } from 'node:v8';
let largest = 0;
let keep = [];
for (let i = 0; i < 2_000_000; i++) {
  keep.push({ i, text: 'event-' + i });
  if (keep.length > 20_000) keep = [];
  if (i % 10_000 === 0) largest = Math.max(largest, getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size);
}
process.stdout.write(String(largest / 1048576));
`;

function youngGenerationMb(env: NodeJS.ProcessEnv): number {
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8', env }));
}

/** The test process's environment without its own Node options. */
function plainEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['NODE_OPTIONS'];
  return env;
}

describe('withServiceProcessSettings', () => {
  it('adds the allocator setting and the Node options, keeping everything else', () => {
    const env = withServiceProcessSettings({ DATABASE_SCHEMA: 'pricing', UNSET: undefined });
    expect(env).toEqual({ ...SERVICE_PROCESS_ENV, DATABASE_SCHEMA: 'pricing', NODE_OPTIONS: '--max-semi-space-size=8' });
  });

  it("leaves the caller's own choices in force: its MALLOC_ARENA_MAX, and its Node options after ours", () => {
    const env = withServiceProcessSettings({ MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--max-old-space-size=384 --max-semi-space-size=16' });
    expect(env['MALLOC_ARENA_MAX']).toBe('4');
    expect(env['NODE_OPTIONS']).toBe('--max-semi-space-size=8 --max-old-space-size=384 --max-semi-space-size=16');
  });

  it('takes effect in a process started with it, unless the caller says otherwise', () => {
    // Two semi-spaces of at most 8 MB; V8 by itself grows them to 16 MB each on this 64-bit box.
    const withSettings = youngGenerationMb(withServiceProcessSettings(plainEnv()));
    expect(withSettings).toBeLessThanOrEqual(16);
    expect(youngGenerationMb(plainEnv())).toBeGreaterThan(withSettings);
    expect(youngGenerationMb(withServiceProcessSettings({ ...plainEnv(), NODE_OPTIONS: '--max-semi-space-size=2' }))).toBeLessThanOrEqual(4);
  });
});
