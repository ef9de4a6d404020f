# Sargalay as one container: Bun runs the TypeScript sources directly, so the only build step
# is installing the production dependencies.

FROM oven/bun:1.4.5-slim AS deps
WORKDIR /app
COPY package.json bun.lock bunfig.toml ./
RUN bun install --frozen-lockfile --production

FROM oven/bun:1.4.5-slim AS runtime
WORKDIR /app

# Bun's fetch runs at most 256 upstream requests at once unless this is set before start-up.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data \
    DATABASE_URL=/data/sargalay.db \
    BUN_CONFIG_MAX_HTTP_REQUESTS=8192

COPY --from=deps /app/node_modules ./node_modules
COPY . .

# The image's own user; only the data folder is writable by it.
RUN mkdir -p /data && chown bun:bun /data
USER bun
VOLUME ["/data"]
EXPOSE 3000

# The image has no curl; bun itself asks the liveness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD ["bun", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# openDatabase applies the migrations of both dialects at start-up; re-running them is safe.
CMD ["bun", "run", "start"]
