//! `spares hash-password` and `spares sign-out-everywhere`: the web
//! sign-in's password and sessions.

use anyhow::Context;

/// Prints an argon2 hash of a password read from the terminal or a pipe.
pub fn hash_password() -> anyhow::Result<bool> {
    let password = read_password()?;
    let hash = spares_web::auth::hash_password(&password).context("hashing the password")?;
    println!("{hash}");
    Ok(true)
}

pub async fn sign_out_everywhere(url: &str) -> anyhow::Result<bool> {
    let store = super::open(url).await?;
    let n = store
        .end_all_sessions()
        .await
        .context("ending the sessions")?;
    eprintln!(
        "Ended {n} signed-in session{}",
        if n == 1 { "" } else { "s" }
    );
    Ok(true)
}

/// A password from the terminal (not echoed) or from piped standard input.
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").context("reading the password")?;
        let again = rpassword::prompt_password("Again: ").context("reading the password")?;
        anyhow::ensure!(
            first == again,
            "the two passwords differ; nothing was printed"
        );
        first
    } else {
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .context("reading the password from standard input")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    Ok(password)
}
