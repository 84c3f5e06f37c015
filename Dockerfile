# Sightline server image. With CLICKHOUSE_URL set it never loads chDB's engine, but the package is
# still installed (it is a regular dependency of the server).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install -g pnpm@10
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build && pnpm prune --prod

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4318 SIGHTLINE_GRPC_PORT=4317 SIGHTLINE_DATA_DIR=/data
EXPOSE 4318 4317
CMD ["node", "apps/ingest/dist/index.js"]
