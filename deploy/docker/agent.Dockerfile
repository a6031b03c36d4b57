# syntax=docker/dockerfile:1
# A store agent's image (with the staff CLI `inventory`). Build from the repository root:
#   docker build -f deploy/docker/agent.Dockerfile -t inventory-agent .
# Configuration as in edge-agent/src/env.ts (STORE_ID is required); memory settings as edge-agent/start.sh.
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
COPY edge-agent edge-agent
RUN npx tsc -p shared/tsconfig.build.json \
 && npx tsc -p platform/tsconfig.build.json \
 && npx tsc -p read-model/tsconfig.build.json \
 && npx tsc -p edge-agent/tsconfig.build.json \
 && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8081 MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 AGENT_REPLICA_PATH=/var/lib/inventory/agent-replica.sqlite
WORKDIR /app
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/shared/package.json shared/
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/platform/package.json platform/
COPY --from=build /app/platform/dist platform/dist
COPY --from=build /app/read-model/package.json read-model/
COPY --from=build /app/read-model/dist read-model/dist
COPY --from=build /app/edge-agent/package.json edge-agent/
COPY --from=build /app/edge-agent/dist edge-agent/dist
RUN mkdir -p /var/lib/inventory && chown 1000:1000 /var/lib/inventory
# The image's non-root `node` user.
USER 1000:1000
EXPOSE 8081
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/ready`,{signal:AbortSignal.timeout(2000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=4", "edge-agent/dist/main.js"]
