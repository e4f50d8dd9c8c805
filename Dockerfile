# syntax=docker/dockerfile:1
# Lanterne Rouge API. Build: docker build -t lanterne-rouge-api .   Run: see compose.yaml and the README.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: every dependency, compile TypeScript into dist/ -----------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY . .
# `npm ci` runs the prepare hook, which builds dist/ (scripts/build.js).
RUN npm ci --no-audit --no-fund && test -f dist/src/main.js

# --- runtime: production dependencies only, compiled code, non-root ------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATABASE_URL=sqlite:////data/lanterne.db \
    LOG_DIR=/data/logs
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
# Build tools only for as long as native modules may need them, in the same layer as their removal.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ \
    && npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force \
    && apt-get purge -y python3 make g++ && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 (no npm, no shell): SIGTERM from `docker stop` reaches the server, which stops accepting,
# finishes in-flight requests within SHUTDOWN_TIMEOUT_MS (8 s, under docker's default 10 s), and exits 0.
CMD ["node", "dist/src/main.js"]
