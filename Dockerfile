# syntax=docker/dockerfile:1
#
# One image for every Keyflow service; SERVICE picks the app at run time:
#   docker build -t keyflow .
#   docker run -e SERVICE=orders -e DATABASE_URL=... -e KAFKA_BROKERS=... keyflow
# `--build-arg SERVICE=<app>` bakes a default in (docker-compose.yml does this) and checks at build time that
# the app exists.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: install everything, compile every lib and app, then drop dev dependencies ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Manifests first so the dependency layer is reused while only sources change. Every npm workspace
# (libs/*) must be present for the install: add a line here when a lib is added. (`npm install --no-save`
# rather than `npm ci`: a lock written where the registry lacks other platforms' optional binaries fails ci.)
COPY package.json package-lock.json .npmrc ./
COPY libs/contracts/package.json libs/contracts/
COPY libs/observability/package.json libs/observability/
COPY libs/messaging/package.json libs/messaging/
COPY libs/service-kit/package.json libs/service-kit/
COPY libs/testing/package.json libs/testing/
COPY libs/sealed-box/package.json libs/sealed-box/
COPY libs/load/package.json libs/load/
COPY patches/ patches/
# No dependency needs its install script to build or run (package.json "allowScripts" are all false); our
# own fixes to dependencies (patches/, e.g. kafkajs's TimeoutNegativeWarning on Node 24) are applied here.
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-save --ignore-scripts --no-audit --no-fund \
 && node_modules/.bin/patch-package --error-on-fail

COPY tsconfig.base.json tsconfig.json ./
COPY libs/ libs/
COPY apps/ apps/
RUN node_modules/.bin/tsc -b tsconfig.json \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# Stage exactly what runs: package.json, node_modules (node_modules/@keyflow/* are symlinks to libs/*, so
# libs keep their place), each lib's package.json + dist, each app's dist.
RUN mkdir -p /out \
 && cp -a package.json node_modules /out/ \
 && for lib in libs/*/; do mkdir -p "/out/$lib" && cp -a "$lib/package.json" "$lib/dist" "/out/$lib"; done \
 && for app in apps/*/; do mkdir -p "/out/$app" && cp -a "$app/dist" "/out/$app" \
      && if [ -d "$app/config" ]; then cp -a "$app/config" "/out/$app"; fi \
      && if [ -d "$app/public" ]; then cp -a "$app/public" "/out/$app"; fi; done \
 && find /out/libs /out/apps -name '*.tsbuildinfo' -delete

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE=""
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
# Owned by root and read-only to the `node` user that runs it.
COPY --from=build /out/ ./
RUN if [ -n "$SERVICE" ]; then test -f "apps/$SERVICE/dist/main.js" || { echo "no app named '$SERVICE'" >&2; exit 1; }; fi
# The one writable place: where the demo's sandbox payment provider keeps the signing keys it makes (a named
# volume mounted here takes this owner, so `node` can write it; payment-callback mounts it read-only).
RUN mkdir -p /var/lib/keyflow/sandbox-keys && chown node:node /var/lib/keyflow/sandbox-keys

USER node
# Default ports: console 3000, orders 3001, payment-callback 3002, inventory 3003, risk-control 3004,
# delivery 3005, notification 3006 (PORT overrides).
EXPOSE 3000-3006
# `sh -c` expands SERVICE; `exec` replaces the shell so SIGTERM/SIGINT reach node (graceful shutdown).
CMD ["sh", "-c", "exec node \"apps/${SERVICE:?set SERVICE to an app name, e.g. orders}/dist/main.js\""]
