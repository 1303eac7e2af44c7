# One image for every QuickCart process; docker-compose.yml picks the command per service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages ./packages
COPY services ./services
COPY workflows ./workflows
COPY infra/sandbox ./infra/sandbox
COPY tsconfig*.json ./
RUN npm ci --no-audit --no-fund && npx tsc -b && npm prune --omit=dev

FROM node:20-bookworm-slim
# Shown by the bot's /version: `docker compose build --build-arg BUILD_COMMIT=$(git rev-parse --short HEAD)`.
ARG BUILD_COMMIT=dev
ENV NODE_ENV=production BUILD_COMMIT=$BUILD_COMMIT
WORKDIR /app
COPY --from=build /app /app
USER node
