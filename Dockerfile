# syntax=docker/dockerfile:1
# Branch-secretary training platform: one image for the API, the worker and the migration/admin CLIs.
#   docker build -t branch-secretary-training .
# npm installs from npm's own default registry, or from the builder's configuration: pass your .npmrc as a
# build secret (`docker build --secret id=npmrc,src=$HOME/.npmrc .`) or one registry with
# `--build-arg NPM_CONFIG_REGISTRY=<url>`. The repository names no registry of its own.
# Default command: the API. Worker: `node dist/src/worker.js`; migrations: `node dist/src/database/cli.js run`.

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: all dependencies, compile TypeScript to dist/ and the pages to dist/web -------------------
FROM ${NODE_IMAGE} AS build
# Optional and without a default: when it is not given, npm's own default or the builder's .npmrc applies.
ARG NPM_CONFIG_REGISTRY
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: package.json's allowScripts approves no install script (npm 11 skips them all); older
# npm versions ignore allowScripts, so skip them explicitly to get the same tree whichever npm the image has.
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    if [ -z "${NPM_CONFIG_REGISTRY:-}" ]; then unset NPM_CONFIG_REGISTRY; fi \
 && npm ci --ignore-scripts
COPY . .
RUN npm run build \
 && test -f dist/src/main.js && test -f dist/src/worker.js && test -f dist/src/database/cli.js \
 && ls dist/migrations/*.js >/dev/null && test -f dist/web/index.html

# ---- runtime: production dependencies and dist/ only, non-root ----------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG NPM_CONFIG_REGISTRY
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false \
    PORT=3000 \
    STORAGE_DIR=/data/storage
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc \
    if [ -z "${NPM_CONFIG_REGISTRY:-}" ]; then unset NPM_CONFIG_REGISTRY; fi \
 && npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force \
 && mkdir -p /data/storage \
 && chown node:node /data/storage
COPY --from=build /app/dist ./dist
COPY --from=build /app/content ./content
USER node
EXPOSE 3000
# /api/health answers 200 when MySQL and Redis are reachable, 503 otherwise (slim images have no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
