#!/usr/bin/env bash
# The monitoring under deploy/ is checked like code: the alert rules by `promtool check rules`, their
# behaviour by `promtool test rules` (fires above each threshold, silent at or below), and every query of the
# Grafana dashboard parsed by promtool too (as recording rules in a scratch file), so a typo in PromQL fails
# here rather than as an empty panel. promtool comes from Debian's `prometheus` package (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

promtool check rules deploy/prometheus/*.rules.yml
promtool test rules deploy/prometheus/tests/*.test.yml

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
OUT="$scratch/dashboard-queries.yml" node -e '
  const fs = require("fs");
  const lines = ["groups:"];
  for (const file of process.argv.slice(1)) {
    const dashboard = JSON.parse(fs.readFileSync(file, "utf8"));
    lines.push(`  - name: ${JSON.stringify(file)}`, "    rules:");
    const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
    if (exprs.length === 0) throw new Error(`${file}: no queries`);
    exprs.forEach((expr, i) => lines.push(`      - record: dashboard:query_${i}`, `        expr: ${JSON.stringify(expr)}`));
  }
  fs.writeFileSync(process.env.OUT, lines.join("\n") + "\n");
' deploy/grafana/*.dashboard.json
echo "Checking the dashboards' queries"
promtool check rules "$scratch/dashboard-queries.yml" | sed 's/^/  /'
