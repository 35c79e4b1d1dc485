//! Every setting the programs read is documented: each `env = "…"` in the
//! sources appears in README.md's configuration table and in .env.example.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `env = "NAME"` in the programs' sources (their clap settings),
/// sorted, each once.
pub fn variables_the_programs_read() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root");
    let mut files = Vec::new();
    for krate in [
        "core/src",
        "sqlite/src",
        "mongo/src",
        "store/src",
        "labels/src",
        "web/src",
        "cli/src",
        "bot/src",
    ] {
        sources(&root.join(krate), &mut files);
    }
    let mut vars = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read");
        for part in text.split("env = \"").skip(1) {
            if let Some(name) = part.split('"').next() {
                vars.push(name.to_owned());
            }
        }
    }
    vars.sort();
    vars.dedup();
    vars
}

#[test]
fn every_environment_variable_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root");
    let vars = variables_the_programs_read();
    assert!(vars.len() >= 8, "found the settings: {vars:?}");
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let example = std::fs::read_to_string(root.join(".env.example")).expect(".env.example");
    for v in &vars {
        assert!(
            readme.contains(&format!("| `{v}` |")),
            "{v} is missing from README's configuration table"
        );
        assert!(
            example.contains(&format!("{v}=")),
            "{v} is missing from .env.example"
        );
    }
}

#[test]
fn every_variable_the_compose_file_uses_is_in_env_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root");
    let compose = std::fs::read_to_string(root.join("docker-compose.yml")).expect("compose")
        + &std::fs::read_to_string(root.join("deploy/compose/mongo-express.yml"))
            .expect("mongo-express compose file");
    let example = std::fs::read_to_string(root.join(".env.example")).expect(".env.example");
    let mut vars: Vec<&str> = compose
        .split("${")
        .skip(1)
        .filter_map(|rest| rest.split(['}', ':', '-', '?']).next())
        .collect();
    vars.sort_unstable();
    vars.dedup();
    assert!(vars.contains(&"MONGO_PASSWORD"), "{vars:?}");
    for v in vars {
        assert!(
            example.contains(&format!("{v}=")),
            "{v} (docker-compose.yml) is missing from .env.example"
        );
    }
    // The stack must start without a Telegram token: only the passwords
    // are required (`:?`), and .env.example leaves every one of them empty,
    // so nobody runs with a published password.
    const REQUIRED: [&str; 3] = [
        "MONGO_PASSWORD",
        "MONGO_APP_PASSWORD",
        "MONGO_EXPRESS_PASSWORD",
    ];
    for line in compose.lines().filter(|l| l.contains(":?")) {
        assert!(
            REQUIRED.iter().any(|r| line.contains(&format!("${{{r}:?"))),
            "only the passwords may be required: {line}"
        );
    }
    for r in REQUIRED {
        assert!(
            compose.contains(&format!("${{{r}:?")),
            "{r} must be required"
        );
        assert!(
            example.lines().any(|l| l.trim() == format!("{r}=")),
            "{r} must be empty in .env.example"
        );
    }
    // The applications never connect as MongoDB's root user.
    let app_url = compose
        .lines()
        .find(|l| l.contains("SPARES_DATABASE_URL"))
        .expect("the apps' database URL");
    assert!(
        app_url.contains("MONGO_APP_USER") && !app_url.contains("${MONGO_USER"),
        "{app_url}"
    );
    // Every long-running service restarts.
    let services = compose
        .lines()
        .filter(|l| {
            l.starts_with("  ")
                && !l.starts_with("   ")
                && l.trim_end().ends_with(':')
                && l.trim() != "mongo-data:"
        })
        .count();
    assert!(
        services >= 5,
        "mongo, web, bot, nginx, mongo-express: {services}"
    );
    assert_eq!(compose.matches("restart: unless-stopped").count(), services);
    assert!(compose.contains("profiles: [\"bot\"]"));
    assert!(compose.contains(
        "./deploy/nginx/default.conf.template:/etc/nginx/templates/default.conf.template:ro"
    ));
}
