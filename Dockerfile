# One image for every QuickCart process; docker-compose.yml picks the command per service.
# Node 24 (the LTS line); NODE_IMAGE pins another build, e.g. --build-arg NODE_IMAGE=node:24.12.0-bookworm-slim.
ARG NODE_IMAGE=node:24-bookworm-slim

# Build: every dependency (TypeScript, webpack), the four processes compiled, the workflow bundle made once.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages ./packages
COPY services ./services
COPY workflows ./workflows
# Only its manifest: npm ci wants every workspace the lock file names; the image never runs the emulators.
COPY infra/sandbox/package.json ./infra/sandbox/package.json
RUN npm ci --no-audit --no-fund
RUN npx tsc -b services/catalog services/orders services/gateway workflows \
  && node workflows/dist/worker/build-workflow-bundle.js workflows/dist/workflow-bundle.js
# What production keeps: dependencies without devDependencies (so without @temporalio/testing), no
# emulators, no sources or tests; the build fails if a test package is still there.
RUN npm prune --omit=dev --no-audit --no-fund \
  && rm -rf infra node_modules/@quickcart/sandbox \
  && rm -rf packages/*/src services/*/src services/*/test workflows/src workflows/test \
  && if [ -e node_modules/@temporalio/testing ] || [ -e node_modules/jest ]; then \
       echo 'test packages left in the production image' >&2; exit 1; fi

# Production: the built processes and their runtime dependencies, owned by root and run as `node`.
FROM ${NODE_IMAGE}
# Shown by the bot's /version: `docker compose build --build-arg BUILD_COMMIT=$(git rev-parse --short HEAD)`.
ARG BUILD_COMMIT=dev
# The worker loads the bundle made at build instead of bundling its workflows at every start.
ENV NODE_ENV=production BUILD_COMMIT=$BUILD_COMMIT WORKFLOW_BUNDLE_PATH=/app/workflows/dist/workflow-bundle.js
WORKDIR /app
COPY --from=build /app /app
USER node
