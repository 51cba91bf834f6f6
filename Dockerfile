# klaviyo-mcp in a container: built on Debian 12 with the same dependency script as CI, run as
# a non-root user from a slim image. Serves MCP over stdio by default:
#   docker run -i --rm -e KLAVIYO_API_KEY klaviyo-mcp
# and over Streamable HTTP by flag:
#   docker run --rm -p 8080:8080 -e KLAVIYO_API_KEY klaviyo-mcp --http 0.0.0.0:8080 --allowed-host localhost:8080

FROM debian:12 AS build
WORKDIR /src
# The dependency layer first, so source edits do not reinstall packages.
COPY .ci/install-deps .ci/install-deps
RUN ./.ci/install-deps && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake --preset release -DBUILD_TESTING=OFF \
 && cmake --build --preset release --target klaviyo-mcp \
 && strip build/release/klaviyo-mcp

FROM debian:12-slim
# Only the shared libraries the binary links: Boost.JSON and Boost.URL 1.81, OpenSSL 3, SQLite, hiredis.
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends ca-certificates libssl3 \
      libboost-json1.81.0 libboost-url1.81.0 libsqlite3-0 libhiredis0.14 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin klaviyo-mcp
COPY --from=build /src/build/release/klaviyo-mcp /usr/local/bin/klaviyo-mcp
USER 10001:10001
ENTRYPOINT ["/usr/local/bin/klaviyo-mcp"]
CMD ["--stdio"]
