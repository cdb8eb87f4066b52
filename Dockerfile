# syntax=docker/dockerfile:1
# One image recipe for every AgentLedger service; the build arg SERVICE picks which one runs:
#
#   docker build --build-arg SERVICE=pricing -t ghcr.io/agentledger/pricing:0.1.0 .
#
# Stages: manifests (package.json files only) -> deps (npm ci) -> build (npm run build, then
# dev dependencies pruned) -> runtime (one service, non-root). SERVICE is declared only in the
# runtime stage, so the install and build layers are shared by all six images.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
ENV NX_DAEMON=false \
    NX_NO_CLOUD=true \
    npm_config_update_notifier=false
WORKDIR /app

# Just the lockfile and the workspaces' package.json files. This stage reruns on every source
# change, but its output does not change, so the `npm ci` layer below stays cached until a
# manifest does.
FROM base AS manifests
COPY . /src
RUN mkdir -p /manifests \
 && cd /src \
 && cp package.json package-lock.json /manifests/ \
 && for manifest in apps/*/package.json libs/*/package.json services/*/package.json tools/*/package.json; do \
      [ -f "$manifest" ] || continue; \
      mkdir -p "/manifests/$(dirname "$manifest")"; \
      cp "$manifest" "/manifests/$manifest"; \
    done

FROM base AS deps
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build
RUN npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
RUN case "${SERVICE}" in \
      ingestion|pricing|attribution|budgeting|inventory|gateway) ;; \
      *) echo "build arg SERVICE must be one of: ingestion pricing attribution budgeting inventory gateway (got '${SERVICE}')" >&2; exit 1 ;; \
    esac
LABEL org.opencontainers.image.title="agentledger-${SERVICE}" \
      org.opencontainers.image.description="AgentLedger ${SERVICE} service" \
      org.opencontainers.image.licenses="Apache-2.0"
# Memory settings every service is started with, as npm start does (libs/service-kit, process-settings.ts):
# a young generation of 2 x 8 MB and two malloc arenas. A deployment that sets NODE_OPTIONS keeps the flag in it.
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    NODE_OPTIONS=--max-semi-space-size=8 \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Files stay owned by root: the service user can read its code but not change it.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/services/${SERVICE} ./services/${SERVICE}
# The web dashboard the gateway serves at / (a few hundred KB of static files).
COPY --from=build /app/apps/dashboard/dist ./apps/dashboard/dist
RUN test -f "services/${SERVICE}/dist/main.js" \
 || { echo "services/${SERVICE}/dist/main.js was not built" >&2; exit 1; }
# The image's `node` user, given by number so that Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
STOPSIGNAL SIGTERM
# `exec` makes node PID 1, so SIGTERM reaches the service's graceful shutdown (drain, then exit).
CMD ["/bin/sh", "-c", "exec node services/${SERVICE}/dist/main.js"]
