# syntax=docker/dockerfile:1
# One image with both programs: `spares` (web app, CLI) and `spares-bot`.
# Build: docker build -t spares .
# Run:   docker run -p 8080:8080 -v spares-data:/data spares

# --- dependencies: built once per change of Cargo.toml/Cargo.lock ---------
FROM rust:1.95-slim-bookworm AS deps
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY core/Cargo.toml core/
COPY bom/Cargo.toml bom/
COPY sqlite/Cargo.toml sqlite/
COPY mongo/Cargo.toml mongo/
COPY store/Cargo.toml store/
COPY labels/Cargo.toml labels/
COPY web/Cargo.toml web/
COPY cli/Cargo.toml cli/
COPY bot/Cargo.toml bot/
# Empty crates with the real manifests: `cargo build` compiles only the
# dependencies, and this layer stays cached until the manifests change.
# The image runs on MongoDB in production: both programs get the feature.
RUN for c in core bom sqlite mongo store labels web bot; do mkdir -p $c/src && echo "" > $c/src/lib.rs; done \
 && mkdir -p cli/src && echo "fn main() {}" > cli/src/main.rs && echo "fn main() {}" > bot/src/main.rs \
 && sed -i '/^\[\[bench\]\]/,/^$/d; /^\[\[test\]\]/,/^$/d' ./*/Cargo.toml \
 && cargo build --profile dist --locked -p spares-cli -p spares-bot --features spares-cli/mongodb,spares-bot/mongodb \
 && rm -rf core/src bom/src sqlite/src mongo/src store/src labels/src web/src cli/src bot/src

# --- the programs ----------------------------------------------------------
FROM deps AS build
COPY . .
# profile.dist (Cargo.toml): fat LTO, size-optimized except the photo
# decoding and password hashing crates, stripped — two binaries ≈ 29 MB.
RUN find core bom sqlite mongo store labels web cli bot -path '*/src/*.rs' -exec touch {} + \
 && cargo build --profile dist --locked -p spares-cli -p spares-bot --features spares-cli/mongodb,spares-bot/mongodb \
 && mkdir -p /out /data \
 && cp target/dist/spares target/dist/spares-bot /out/

# --- runtime: glibc + libgcc, no shell, non-root ---------------------------
FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/spares /out/spares-bot /usr/local/bin/
COPY --from=build --chown=65532:65532 /data /data
WORKDIR /data
ENV SPARES_DATABASE_URL=sqlite:///data/spares.db \
    SPARES_LISTEN=0.0.0.0:8080 \
    SPARES_LOG_FORMAT=json
EXPOSE 8080
VOLUME ["/data"]
# 65532 is distroless' "nonroot".
USER 65532:65532
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/spares", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/spares"]
CMD ["serve"]
