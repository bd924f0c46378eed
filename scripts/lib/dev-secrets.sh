# shellcheck shell=bash
# Sourced by start.sh, bench.sh and chaos.sh: exports the development secrets (made once under
# .local/dev-secrets/ by scripts/dev-secrets.js) unless the environment already names its own.
while IFS='=' read -r name value; do
  [ -n "${!name:-}" ] || export "$name=$value"
done < <(node "$KEYFLOW_ROOT/scripts/dev-secrets.js")
