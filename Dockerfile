# syntax=docker/dockerfile:1
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go (modernc.org/sqlite): a static binary with the zone database embedded.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -tags timetzdata -o /out/crmbot .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/crmbot /crmbot
WORKDIR /data
ENV CRMBOT_DATABASE_URL=sqlite:/data/crmbot.db \
    CRMBOT_LISTEN=0.0.0.0:8080
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/crmbot"]
