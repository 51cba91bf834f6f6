# Build on Debian 12 with the same dependency script as CI, run as a non-root user.
FROM debian:12 AS build
WORKDIR /src
COPY .ci/install-deps .ci/install-deps
RUN ./.ci/install-deps
COPY . .
RUN cmake --preset release -DBUILD_TESTING=OFF && cmake --build --preset release --target klaviyo-mcp

FROM debian:12-slim
RUN apt-get update -q \
 && apt-get install -y -q --no-install-recommends ca-certificates libssl3 \
      libboost-json1.81.0 libboost-url1.81.0 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home klaviyo
COPY --from=build /src/build/release/klaviyo-mcp /usr/local/bin/klaviyo-mcp
USER klaviyo
# stdio by default (an MCP client runs the container as a subprocess);
# for HTTP: docker run -p 8080:8080 IMAGE --http 0.0.0.0:8080 --allowed-host localhost:8080
ENTRYPOINT ["klaviyo-mcp"]
CMD ["--stdio"]
