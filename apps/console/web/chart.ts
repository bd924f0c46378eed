import { duration } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';

export interface StageDelay {
  stage: string;
  count: number;
  open: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * The delay map: one row per stage, p50/p95/p99 as nested bars on a shared log scale (a 3 s stage and a
 * 20 min stage both stay readable), the slowest stage drawn in the alarm colour so it stands out.
 */
export function delayChart(stages: StageDelay[], slowest: string | undefined): SVGSVGElement {
  const rowHeight = 34;
  const left = 130;
  const width = 900;
  const plot = width - left - 300;
  const height = stages.length * rowHeight + 30;
  const max = Math.max(1000, ...stages.map((s) => s.p99Ms ?? 0));
  const scale = (ms: number) => (Math.log10(Math.max(ms, 10)) - 1) / (Math.log10(max) - 1 || 1);
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': 'Per-stage delay over the last hour: p50, p95 and p99',
    class: 'delay-chart',
  }) as SVGSVGElement;
  stages.forEach((stage, index) => {
    const y = index * rowHeight + 8;
    const hot = stage.stage === slowest;
    const group = el('g', { 'data-stage': stage.stage, class: hot ? 'slowest' : '' });
    group.appendChild(el('text', { x: 0, y: y + 16, class: 'label' }, stage.stage));
    const bars: Array<[string, number | null, number]> = [
      ['p99', stage.p99Ms, 0.35],
      ['p95', stage.p95Ms, 0.6],
      ['p50', stage.p50Ms, 1],
    ];
    for (const [name, value, opacity] of bars) {
      if (value === null) continue;
      const bar = el('rect', {
        x: left,
        y,
        width: Math.max(2, scale(value) * plot),
        height: 22,
        class: `bar ${name}`,
        'fill-opacity': opacity,
      });
      bar.appendChild(el('title', {}, `${stage.stage} ${name}: ${duration(value)}`));
      group.appendChild(bar);
    }
    const summary =
      stage.p50Ms === null
        ? 'no orders'
        : `p50 ${duration(stage.p50Ms)} · p95 ${duration(stage.p95Ms)} · p99 ${duration(stage.p99Ms)}`;
    group.appendChild(el('text', { x: left + plot + 8, y: y + 16, class: 'value' }, summary));
    svg.appendChild(group);
  });
  svg.appendChild(
    el(
      'text',
      { x: left, y: height - 4, class: 'axis' },
      `log scale, 10 ms … ${duration(max)}; n = stages measured`,
    ),
  );
  return svg;
}
