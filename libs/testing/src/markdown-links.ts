import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Relative links between the repository's Markdown files, checked: the README was split into per-service
 * READMEs and docs/*.md, and a moved section silently breaks every link and anchor that pointed at it.
 */

/** GitHub's heading anchor: lower case, punctuation other than `-` and `_` dropped, spaces become `-`. */
export function headingSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Anchors a Markdown text offers: one per heading, repeats numbered `-1`, `-2` as GitHub does. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutCode(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const slug = headingSlug(heading[1].replace(/`/g, ''));
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Link targets in a Markdown text, outside fenced code blocks and inline code. */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  const text = withoutCode(markdown).replace(/`[^`\n]*`/g, '');
  for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) targets.push(match[1]);
  return targets;
}

/** Every relative link of `file` (a path under `root`) that names a missing file or a missing anchor. */
export function brokenLinks(root: string, file: string): string[] {
  const absolute = resolve(root, file);
  const broken: string[] = [];
  for (const target of linkTargets(readFileSync(absolute, 'utf8'))) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto: are not ours to check
    const [path, anchor] = target.split('#', 2);
    const linked = path === '' ? absolute : resolve(dirname(absolute), decodeURIComponent(path));
    if (!existsSync(linked)) {
      broken.push(`${file}: ${target} (no file ${relative(root, linked)})`);
    } else if (
      anchor !== undefined &&
      linked.endsWith('.md') &&
      !anchorsOf(readFileSync(linked, 'utf8')).has(anchor)
    ) {
      broken.push(`${file}: ${target} (no heading #${anchor} in ${relative(root, linked)})`);
    }
  }
  return broken;
}

function withoutCode(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

export const repoRoot = (): string => join(__dirname, '..', '..', '..');
