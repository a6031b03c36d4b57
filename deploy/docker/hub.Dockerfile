# syntax=docker/dockerfile:1
# The hub's image. Build from the repository root:
#   docker build -f deploy/docker/hub.Dockerfile -t inventory-hub .
# Configuration as in hub/src/env.ts; NODE_ENV=production, so a signing key (AUTH_*) is required and the
# development token is refused.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY shared/package.json shared/
COPY platform/package.json platform/
COPY read-model/package.json read-model/
COPY hub/package.json hub/
COPY edge-agent/package.json edge-agent/
COPY e2e/package.json e2e/
RUN npm ci --no-audit --no-fund
COPY shared shared
COPY platform platform
COPY read-model read-model
COPY hub hub
RUN npx tsc -p shared/tsconfig.build.json \
 && npx tsc -p platform/tsconfig.build.json \
 && npx tsc -p read-model/tsconfig.build.json \
 && npx tsc -p hub/tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 MALLOC_MMAP_THRESHOLD_=131072 HUB_REPLICA_PATH=/var/lib/inventory/hub-replica.sqlite
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/shared/package.json shared/
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/platform/package.json platform/
COPY --from=build /app/platform/dist platform/dist
COPY --from=build /app/read-model/package.json read-model/
COPY --from=build /app/read-model/dist read-model/dist
COPY --from=build /app/hub/package.json hub/
COPY --from=build /app/hub/dist hub/dist
COPY --from=build /app/hub/drizzle hub/drizzle
RUN mkdir -p /var/lib/inventory && chown 1000:1000 /var/lib/inventory
# The image's non-root `node` user.
USER 1000:1000
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/ready`,{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=8", "hub/dist/main.js"]
