import { mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { anchorsOf, brokenLinks, headingSlug, repoRoot } from './markdown-links';

describe('relative links between the Markdown files', () => {
  it('slugs headings the way GitHub does', () => {
    expect(headingSlug('Real providers: Alipay, WeChat Pay, Stripe')).toBe(
      'real-providers-alipay-wechat-pay-stripe',
    );
    expect(headingSlug('The pay URL: pay the moment checkout answers')).toBe(
      'the-pay-url-pay-the-moment-checkout-answers',
    );
    expect([...anchorsOf('# A\n## B\n```\n# not a heading\n```\n## B\n')]).toEqual(['a', 'b', 'b-1']);
  });

  it('finds a link to a missing file and to a missing heading, and passes good ones', () => {
    const root = mkdtempSync(join(tmpdir(), 'md-links-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'ops.md'), '# Ops\n\n## Health and logs\n');
    writeFileSync(
      join(root, 'README.md'),
      [
        '# Top',
        '[ok](docs/ops.md#health-and-logs) [self](#top) [web](https://example.com/x#y)',
        '[gone](docs/missing.md) [no anchor](docs/ops.md#benchmarks) [no self](#nowhere)',
        '`[in code](nope.md)`',
      ].join('\n'),
    );

    expect(brokenLinks(root, 'README.md')).toEqual([
      'README.md: docs/missing.md (no file docs/missing.md)',
      'README.md: docs/ops.md#benchmarks (no heading #benchmarks in docs/ops.md)',
      'README.md: #nowhere (no heading #nowhere in README.md)',
    ]);
  });

  it("holds for the repository's README.md, docs/*.md, apps/*/README.md and deploy/k8s/README.md", () => {
    const root = repoRoot();
    const files = [
      'README.md',
      'deploy/k8s/README.md',
      ...readdirSync(join(root, 'docs'))
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name}`),
      ...readdirSync(join(root, 'apps'), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `apps/${entry.name}/README.md`)
        .filter((file) => readdirSync(join(root, file, '..')).includes('README.md')),
    ];

    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((file) => brokenLinks(root, file))).toEqual([]);
  });
});
