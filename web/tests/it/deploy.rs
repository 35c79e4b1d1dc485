//! One truth for how the programs are run: the port, the health path, the
//! program paths and the environment variables used by the Dockerfile,
//! docker-compose.yml, the nginx config and the ECS task definitions
//! (infra/*.tf) are the ones the binaries actually read and serve. A change
//! in one place that the others do not follow fails here.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root")
        .to_path_buf()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn infra() -> String {
    let mut all = String::new();
    let mut files: Vec<_> = std::fs::read_dir(root().join("infra"))
        .expect("infra/")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "infra/*.tf: {files:?}");
    for f in files {
        all.push_str(&std::fs::read_to_string(f).expect("read tf"));
        all.push('\n');
    }
    // `terraform fmt` aligns `=` signs: compare with single spaces.
    all.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the programs read: their clap settings, and tracing's `RUST_LOG`.
fn variables_the_programs_read() -> Vec<String> {
    let mut out = crate::docs::variables_the_programs_read();
    out.push("RUST_LOG".to_owned()); // tracing's EnvFilter
    out
}

/// Names that look like our settings (SPARES_*, TELOXIDE_*, RUST_LOG) in `text`.
fn setting_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for prefix in ["SPARES_", "TELOXIDE_", "RUST_LOG"] {
        for (at, _) in text.match_indices(prefix) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = text[at..]
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            names.push(name);
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The port the image says the web app listens on (Dockerfile EXPOSE).
fn web_port() -> u16 {
    let dockerfile = read("Dockerfile");
    let port = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix("EXPOSE "))
        .expect("EXPOSE in Dockerfile")
        .trim()
        .parse()
        .expect("EXPOSE port");
    assert!(
        dockerfile.contains(&format!("SPARES_LISTEN=0.0.0.0:{port}")),
        "Dockerfile: SPARES_LISTEN must use the EXPOSEd port {port}"
    );
    port
}

#[test]
fn the_port_is_the_same_everywhere() {
    let port = web_port();
    let compose = read("docker-compose.yml");
    assert!(compose.contains(&format!("SPARES_LISTEN: 0.0.0.0:{port}")));
    assert!(compose.contains(&format!("SPARES_UPSTREAM: web:{port}")));
    let tf = infra();
    assert!(
        tf.contains(&format!("web_port = {port}")),
        "infra/main.tf: local.web_port must be {port}"
    );
    // The task definition, target group and security groups use the local.
    assert!(tf.contains("containerPort = local.web_port"));
    assert!(tf.contains("container_port = local.web_port"));
    assert!(tf.contains("port = local.web_port"));
    assert!(tf.contains("\"0.0.0.0:${local.web_port}\""));
}

#[test]
fn health_checks_ask_the_path_the_app_serves() {
    let startup = read("web/src/startup.rs");
    assert!(startup.contains(".route(\"/healthz\", get(health::healthz))"));
    let command = read("cli/src/commands/health.rs");
    assert!(
        command.contains("GET /healthz HTTP/1.1"),
        "`spares healthcheck` asks /healthz"
    );
    let nginx = read("deploy/nginx/default.conf.template");
    assert!(nginx.contains("location = /healthz"));
    let tf = infra();
    assert!(tf.contains("health_path = \"/healthz\""));
    assert!(tf.contains("path = local.health_path"));

    // Container health checks run the binary's own check, at the path where
    // the image puts it.
    let dockerfile = read("Dockerfile");
    assert!(dockerfile.contains("CMD [\"/usr/local/bin/spares\", \"healthcheck\"]"));
    assert!(tf.contains("command = [\"CMD\", \"/usr/local/bin/spares\", \"healthcheck\"]"));
    let main = read("cli/src/args.rs");
    assert!(
        main.contains("Healthcheck"),
        "the healthcheck subcommand exists"
    );
}

#[test]
fn programs_are_where_the_image_puts_them() {
    let dockerfile = read("Dockerfile");
    assert!(dockerfile.contains("COPY --from=build /out/spares /out/spares-bot /usr/local/bin/"));
    assert!(dockerfile.contains("ENTRYPOINT [\"/usr/local/bin/spares\"]"));
    let compose = read("docker-compose.yml");
    assert!(compose.contains("entrypoint: [\"/usr/local/bin/spares-bot\"]"));
    let tf = infra();
    assert!(tf.contains("entryPoint = [\"/usr/local/bin/spares-bot\"]"));
    assert!(tf.contains("command = [\"serve\"]"));
    assert!(compose.contains("command: [\"serve\"]"));
    // The image's user owns nothing else; task definitions that run the
    // image (web, bot, the backup's dump) run as the same.
    assert!(dockerfile.contains("USER 65532:65532"));
    assert_eq!(tf.matches("user = \"65532:65532\"").count(), 3);
    assert_eq!(tf.matches("image = local.image").count(), 3);
}

/// The Dockerfile's dependency stage copies each crate's manifest by name
/// and stubs its sources: a crate added to the workspace but not there
/// would break the image build only at deploy time. So: every workspace
/// member's manifest is copied, and every stubbed crate is a member.
#[test]
fn the_image_dependency_stage_knows_every_workspace_crate() {
    let dockerfile = read("Dockerfile");
    let manifest = read("Cargo.toml");
    let members: Vec<String> = manifest
        .lines()
        .find(|l| l.trim_start().starts_with("members"))
        .expect("workspace members")
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert!(members.len() >= 4, "{members:?}");
    for m in &members {
        assert!(
            dockerfile.contains(&format!("COPY {m}/Cargo.toml {m}/")),
            "Dockerfile: the dependency stage must COPY {m}/Cargo.toml (a workspace member)"
        );
        let stubbed = dockerfile.contains(&format!("mkdir -p {m}/src"))
            || dockerfile.lines().any(|l| {
                l.contains("for c in")
                    && l.split_whitespace().any(|w| w == m || w == format!("{m};"))
            });
        assert!(
            stubbed,
            "Dockerfile: the dependency stage must stub {m}/src"
        );
    }
    for line in dockerfile
        .lines()
        .filter(|l| l.starts_with("COPY ") && l.contains("/Cargo.toml"))
    {
        let dir = line
            .split_whitespace()
            .nth(1)
            .and_then(|p| p.split('/').next())
            .unwrap_or_default();
        assert!(
            members.iter().any(|m| m == dir),
            "Dockerfile copies {dir}/Cargo.toml, not a member"
        );
    }
}

#[test]
fn every_setting_in_the_deployments_is_one_the_programs_read() {
    let mut known = variables_the_programs_read();
    assert!(known.len() >= 10, "{known:?}");
    // nginx's template reads its own (envsubst of `${NAME}`).
    let nginx = read("deploy/nginx/default.conf.template");
    for part in nginx.split("${").skip(1) {
        if let Some(name) = part.split('}').next() {
            known.push(name.to_owned());
        }
    }
    for (file, text) in [
        ("Dockerfile", read("Dockerfile")),
        ("docker-compose.yml", read("docker-compose.yml")),
        ("infra/*.tf", infra()),
        (".env.example", read(".env.example")),
    ] {
        let used = setting_names(&text);
        assert!(!used.is_empty(), "{file} names no setting");
        for name in used.iter().filter(|n| !n.starts_with("SPARES_TEST_")) {
            assert!(
                known.contains(name),
                "{file} sets {name}, which no program reads (known: {known:?})"
            );
        }
    }
}

#[test]
fn each_deployment_gives_the_programs_what_they_need() {
    let compose = read("docker-compose.yml");
    let tf = infra();
    // The web app and the bot need the database; the bot its token and its
    // allow-list. Secrets come from Secrets Manager on AWS, never in plain text.
    for name in [
        "SPARES_DATABASE_URL",
        "SPARES_PUBLIC_URL",
        "SPARES_LOG_FORMAT",
        "TELOXIDE_TOKEN",
        "SPARES_BOT_ALLOWED_USERS",
        "SPARES_ADMIN_PASSWORD_HASH",
        "SPARES_SESSION_SECRET",
        "SPARES_API_TOKEN",
    ] {
        assert!(
            compose.contains(&format!("{name}:")),
            "compose lacks {name}"
        );
        assert!(tf.contains(&format!("\"{name}\"")), "infra lacks {name}");
    }
    for secret in [
        "database_url = \"SPARES_DATABASE_URL\"",
        "admin_password_hash = \"SPARES_ADMIN_PASSWORD_HASH\"",
        "session_secret = \"SPARES_SESSION_SECRET\"",
        "api_token = \"SPARES_API_TOKEN\"",
        "telegram_token = \"TELOXIDE_TOKEN\"",
    ] {
        assert!(
            tf.contains(secret),
            "infra/secrets.tf: {secret} must be a Secrets Manager secret"
        );
    }
    for plain in ["SPARES_DATABASE_URL", "TELOXIDE_TOKEN", "SPARES_API_TOKEN"] {
        assert!(
            !tf.contains(&format!("name = \"{plain}\", value")),
            "{plain} must not be a plain environment variable in a task definition"
        );
    }
}
