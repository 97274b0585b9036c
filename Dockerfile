# syntax=docker/dockerfile:1
# Build: a static binary (no cgo), so the runtime image needs no libc.
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
ENV DEALPILOT_DB=/data/dealpilot.db \
    DEALPILOT_HTTP_ADDR=0.0.0.0:8080 \
    LOG_FORMAT=json
USER nonroot:nonroot
VOLUME ["/data"]
EXPOSE 8080
# distroless has no shell or curl: the binary checks its own health.
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/dealpilot", "health"]
ENTRYPOINT ["/usr/local/bin/dealpilot"]
CMD ["serve"]
