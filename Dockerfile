# PStamp on Debian 12 with Swift 6.
FROM swift:6.1-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      make pkg-config libsqlite3-dev libcfitsio-dev wcslib-dev libcurl4-openssl-dev libmariadb-dev \
      libturbojpeg0-dev libssl-dev fitsverify && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN swift build -c release --product pstamp && swift build -c release --product pstamptool \
 && swift build -c release --product labeltool \
 && mkdir /out && cp -r $(swift build -c release --show-bin-path)/{pstamp,pstamptool,labeltool,*.resources} /out/

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libsqlite3-0 libcfitsio10 libwcs7 libcurl4 libmariadb3 libturbojpeg0 libssl3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/lib/swift/linux/*.so* /usr/lib/swift/linux/
COPY --from=build /out/ /usr/local/bin/
COPY fixtures /srv/pstamp/fixtures
WORKDIR /srv/pstamp
EXPOSE 8080
CMD ["pstamp", "serve", "--data-dir", "/srv/pstamp/var", "--host", "0.0.0.0", "--port", "8080"]
