//! `spares-bot`: the Telegram bot. Not built yet — see the Telegram bot issue.

fn main() {
    eprintln!("spares-bot is not implemented yet; see README.md");
    std::process::exit(2);
}
