# PStamp on Debian 12 with Swift 6.
# Every RUN line is POSIX sh (Docker runs them with /bin/sh, dash on Debian): no brace expansion, no
# bash-isms. Tests/IntegrationTests/DockerfileTests.swift checks each with dash.
FROM swift:6.1-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      make pkg-config libsqlite3-dev libcfitsio-dev wcslib-dev libcurl4-openssl-dev libmariadb-dev \
      libturbojpeg0-dev libssl-dev fitsverify && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --product pstamp && swift build -c release --product pstamptool \
 && swift build -c release --product labeltool \
 && bin=$(swift build -c release --show-bin-path) && mkdir -p out \
 && for tool in pstamp pstamptool labeltool; do cp "$bin/$tool" out/; done \
 && for bundle in "$bin"/*.resources; do cp -r "$bundle" out/; done

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsqlite3-0 libcfitsio10 libwcs7 libcurl4 libmariadb3 libturbojpeg0 libssl3 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /srv/pstamp --shell /usr/sbin/nologin pstamp \
 && mkdir -p /srv/pstamp/var && chown pstamp:pstamp /srv/pstamp/var
COPY --from=build /usr/lib/swift/linux/*.so* /usr/lib/swift/linux/
COPY --from=build /src/out/ /usr/local/bin/
COPY fixtures /srv/pstamp/fixtures
WORKDIR /srv/pstamp
# The request database, work directories and data store: keep them across containers.
VOLUME /srv/pstamp/var
USER pstamp
EXPOSE 8080
# /healthz answers whenever the server is serving.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1
CMD ["pstamp", "serve", "--data-dir", "/srv/pstamp/var", "--host", "0.0.0.0", "--port", "8080"]
