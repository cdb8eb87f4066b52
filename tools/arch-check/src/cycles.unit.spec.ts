import { findCycles, formatCycles } from './cycles.js';
import { importGraph } from './import-graph.js';

const cyclesOf = (files: Record<string, string>) => findCycles(importGraph(new Map(Object.entries(files))));

describe('import cycle check', () => {
  it('finds a cycle through .js specifiers that name .ts sources, and prints it as a chain', () => {
    const cycles = cyclesOf({
      'src/budget/budget.ts': `import { spendOf } from '../spend/spend.js';`,
      'src/spend/spend.ts': `export { windowOf } from './window/index.js';`,
      'src/spend/window/index.ts': `import { budgetOf } from '../../budget/budget.js';`,
      'src/main.ts': `import { budgetOf } from './budget/budget.js';`,
    });

    expect(cycles).toEqual([['src/budget/budget.ts', 'src/spend/spend.ts', 'src/spend/window/index.ts']]);
    expect(formatCycles('services/budgeting', cycles)).toBe(
      [
        'services/budgeting: 1 import cycle through 3 files',
        '    src/budget/budget.ts',
        '  → src/spend/spend.ts',
        '  → src/spend/window/index.ts',
        '  → src/budget/budget.ts',
      ].join('\n'),
    );
  });

  it('counts type-only imports and exports: a cycle of types is still a cycle', () => {
    const cycles = cyclesOf({
      'src/catalog/catalog.projection.ts': `import type { UnitPrice } from '../unit-prices/unit-price.js';`,
      'src/unit-prices/unit-price.ts': `export type { Tx } from '../catalog/catalog.projection.js';`,
    });

    expect(cycles).toEqual([['src/catalog/catalog.projection.ts', 'src/unit-prices/unit-price.ts']]);
  });

  it('follows every form a module is named in: re-exports, namespaces, import types, import(), require', () => {
    const forms = [
      `export * from './b.js';`,
      `export * as b from './b.js';`,
      `export { type B } from './b.js';`,
      `import * as b from './b.js';`,
      `import './b.js';`,
      `type B = import('./b.js').B;`,
      `const b = await import('./b.js');`,
      `import b = require('./b.js');`,
      `const b = require('./b.js');`,
    ];
    for (const form of forms) {
      expect([form, cyclesOf({ 'src/a.ts': form, 'src/b.ts': `import type { A } from './a.js';` })]).toEqual([form, [['src/a.ts', 'src/b.ts']]]);
    }
  });

  it('finds cycles between test and src files, and a file that imports itself', () => {
    const cycles = cyclesOf({
      'src/self.ts': `import { again } from './self.js';`,
      'src/scenario.ts': `import { fixture } from '../test/fixtures.js';`,
      'test/fixtures.ts': `import { scenario } from '../src/scenario.js';`,
    });

    expect(cycles).toEqual([['src/scenario.ts', 'test/fixtures.ts'], ['src/self.ts']]);
  });

  it('puts every file of a tangle on a chain', () => {
    const cycles = cyclesOf({
      'src/a.ts': `import './b.js'; import './c.js';`,
      'src/b.ts': `import './a.js';`,
      'src/c.ts': `import './a.js';`,
    });

    expect(cycles).toEqual([
      ['src/a.ts', 'src/b.ts'],
      ['src/c.ts', 'src/a.ts'],
    ]);
  });

  it('follows bundler-style specifiers without an extension to .tsx and .ts files and index files (the dashboard)', () => {
    const cycles = cyclesOf({
      'src/App.tsx': `import { Chart } from './components/Chart';\nimport { api } from './api';`,
      'src/components/Chart.tsx': `import { percentOf } from '../decimal';`,
      'src/decimal.ts': `import { App } from './App';`,
      'src/api/index.tsx': `import type { App } from '../App';`,
    });

    expect(cycles).toEqual([
      ['src/App.tsx', 'src/api/index.tsx'],
      ['src/components/Chart.tsx', 'src/decimal.ts', 'src/App.tsx'],
    ]);
  });

  it('passes an acyclic project, whatever its packages and other projects import', () => {
    const cycles = cyclesOf({
      'src/main.ts': `import { startService } from '@agentledger/service-kit';\nimport { spend } from './spend.js';\nconst later = await import('./budget.js');`,
      'src/spend.ts': `import type { Budget } from './budget.js';\nimport Decimal from 'decimal.js';`,
      'src/budget.ts': `import { Money } from '../../../libs/money/src/index.js';\n// import { spend } from './spend.js';\nconst hint = "import('./spend.js')";`,
      'test/spend.int.spec.ts': `import { spend } from '../src/spend.js';`,
    });

    expect(cycles).toEqual([]);
  });
});
