import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './support/contract.js';
import { headingAnchor, linkProblems, linksIn, markdownFiles } from './support/markdown-links.js';

describe('Markdown links', () => {
  const files = markdownFiles(repoRoot);

  it('covers the README, docs/ and every service’s README', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md', 'docs/contract.md']));
    for (const service of ['ingestion', 'pricing', 'attribution', 'budgeting', 'inventory', 'gateway']) {
      expect(files).toContain(`services/${service}/README.md`);
    }
  });

  it.each(files)('%s links only to files and headings inside the repository', (file) => {
    expect(linkProblems(repoRoot, file)).toEqual([]);
  });

  it('finds what a clone would lack, and ignores code', () => {
    const root = mkdtempSync(join(tmpdir(), 'links-'));
    try {
      mkdirSync(join(root, 'docs'));
      writeFileSync(join(root, 'docs', 'a.md'), '# A title\n\n## Part `two`\n');
      writeFileSync(
        join(root, 'README.md'),
        [
          'See [the design](../shared/ARCHITECTURE.md), [a](docs/a.md#part-two), [b](docs/a.md#nowhere),',
          '[gone](docs/gone.md), [abs](/etc/passwd), [web](https://nats.io), [here](#top)',
          '`[not a link](../x.md)`',
          '```',
          '[inside code](../y.md)',
          '```',
          '[ref]: ../../elsewhere.md',
          '# Top',
        ].join('\n'),
      );
      expect(linkProblems(root, 'README.md')).toEqual([
        'README.md:1: ../shared/ARCHITECTURE.md leads outside the repository',
        'README.md:1: docs/a.md#nowhere: docs/a.md has no heading #nowhere',
        'README.md:2: docs/gone.md does not exist',
        'README.md:2: /etc/passwd is an absolute path; link relative to README.md',
        'README.md:7: ../../elsewhere.md leads outside the repository',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads links and anchors as GitHub does', () => {
    expect(linksIn('[a](x.md "title") ![img](<pic.png>)').map((link) => link.target)).toEqual(['x.md', 'pic.png']);
    expect(headingAnchor('B. GraphQL (gateway, `POST /graphql`)')).toBe('b-graphql-gateway-post-graphql');
  });
});
