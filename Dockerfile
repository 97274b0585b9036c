# syntax=docker/dockerfile:1
# Build: a static binary (no cgo), so the runtime image needs no libc. The context is
# what .dockerignore lets through: the Go sources, go.mod, go.sum and the manifest.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN mkdir -p /out/data && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/dealpilot ./cmd/dealpilot

# Run: distroless static, as a non-root user, with the bbolt file on a volume.
# Mount the configuration as /data/dealpilot.yaml, or set DEALPILOT_CONFIG.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/dealpilot /usr/local/bin/dealpilot
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
# /healthz and /readyz on every interface, for the orchestrator's probes (/backup is
# refused to any client but loopback); /metrics stays on 127.0.0.1:8081 unless
# DEALPILOT_METRICS_ADDR says otherwise (0.0.0.0:8081 to scrape from outside).
ENV DEALPILOT_DB=/data/dealpilot.db \
    DEALPILOT_HTTP_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080
# distroless has no shell or curl: the binary checks its own health, inside the
# container, on 127.0.0.1 (DEALPILOT_HTTP_ADDR's port): unhealthy once the bot has had
# no Socket Mode connection to Slack for more than a minute (when it serves Slack), or
# once its Teams endpoint has stopped listening (when it serves Teams, on
# DEALPILOT_TEAMS_ADDR: set it and publish its port, behind a TLS reverse proxy).
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/dealpilot", "health"]
ENTRYPOINT ["/usr/local/bin/dealpilot"]
CMD ["serve"]
