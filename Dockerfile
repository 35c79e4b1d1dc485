# syntax=docker/dockerfile:1
# One image with both programs: `spares` (web app, CLI) and `spares-bot`.
# Build: docker build -t spares .
# Run:   docker run -p 8080:8080 -v spares-data:/data spares

# --- dependencies: built once per change of Cargo.toml/Cargo.lock ---------
FROM rust:1.95-slim-bookworm AS deps
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY core/Cargo.toml core/
COPY web/Cargo.toml web/
COPY bot/Cargo.toml bot/
COPY labels/Cargo.toml labels/
# Empty crates with the real manifests: `cargo build` compiles only the
# dependencies, and this layer stays cached until the manifests change.
RUN for c in core labels bot; do mkdir -p $c/src && echo "" > $c/src/lib.rs; done \
 && mkdir -p web/src && echo "" > web/src/lib.rs \
 && echo "fn main() {}" > web/src/main.rs && echo "fn main() {}" > bot/src/main.rs \
 && sed -i '/^\[\[bench\]\]/,/^$/d; /^\[\[test\]\]/,/^$/d' core/Cargo.toml web/Cargo.toml labels/Cargo.toml \
 && cargo build --profile dist --locked -p spares-web -p spares-bot \
 && rm -rf core/src web/src bot/src labels/src

# --- the programs ----------------------------------------------------------
FROM deps AS build
COPY . .
# profile.dist (Cargo.toml): fat LTO, size-optimized except the photo
# decoding and password hashing crates, stripped — two binaries ≈ 29 MB.
RUN touch core/src/lib.rs labels/src/lib.rs web/src/lib.rs web/src/main.rs bot/src/lib.rs bot/src/main.rs \
 && cargo build --profile dist --locked -p spares-web -p spares-bot \
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
