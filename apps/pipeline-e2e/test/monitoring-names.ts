import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { parse } from 'yaml';

const DEPLOY = path.resolve(__dirname, '../../../deploy');
/** Metric names in PromQL: ours, and prom-client's standard process and Node.js ones. */
const METRIC_NAME = /\b(?:keyflow|process|nodejs)_[a-z0-9_]+\b/g;

/** Every query of the Grafana dashboards and the Prometheus rules under deploy/, with where it comes from. */
export function monitoringQueries(): Array<{ file: string; expr: string }> {
  const queries: Array<{ file: string; expr: string }> = [];
  for (const file of readdirSync(path.join(DEPLOY, 'grafana')).filter((f) => f.endsWith('.json'))) {
    const dashboard = JSON.parse(readFileSync(path.join(DEPLOY, 'grafana', file), 'utf8')) as {
      panels: Array<{ targets?: Array<{ expr: string }> }>;
    };
    for (const panel of dashboard.panels)
      for (const target of panel.targets ?? []) queries.push({ file, expr: target.expr });
  }
  for (const file of readdirSync(path.join(DEPLOY, 'prometheus')).filter((f) => f.endsWith('.rules.yml'))) {
    const rules = parse(readFileSync(path.join(DEPLOY, 'prometheus', file), 'utf8')) as {
      groups: Array<{ rules: Array<{ expr: string }> }>;
    };
    for (const group of rules.groups) for (const rule of group.rules) queries.push({ file, expr: rule.expr });
  }
  return queries;
}

/** The metric names those queries read (histogram series by their `_bucket`/`_sum`/`_count` names). */
export function monitoredMetricNames(): Map<string, string[]> {
  const names = new Map<string, string[]>();
  for (const { file, expr } of monitoringQueries()) {
    for (const name of expr.match(METRIC_NAME) ?? []) names.set(name, [...(names.get(name) ?? []), file]);
  }
  return names;
}
