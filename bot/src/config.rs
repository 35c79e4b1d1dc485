//! Settings: environment variables, each overridable by a flag. A missing or
//! malformed one stops the start with a message naming it.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use clap::{Parser, ValueEnum};
use url::Url;

/// `spares-bot`: the Spares Telegram bot (long polling).
#[derive(Debug, Clone, Parser)]
#[command(name = "spares-bot", version, about)]
pub struct Config {
    /// Bot token from @BotFather.
    #[arg(long, env = "TELOXIDE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,

    /// Database URL: sqlite://FILE (the web app's file) or mongodb://HOST/DB.
    #[arg(
        long,
        env = "SPARES_DATABASE_URL",
        default_value = "sqlite://spares.db"
    )]
    pub database_url: String,

    /// Where the web app answers (links to parts and boxes; QR codes).
    #[arg(long, env = "SPARES_PUBLIC_URL")]
    pub public_url: Option<spares_core::PublicUrl>,

    /// Telegram user ids allowed to use the bot, comma-separated.
    #[arg(long, env = "SPARES_BOT_ALLOWED_USERS", value_name = "IDS")]
    pub allowed_users: Option<AllowList>,

    /// Group chats (ids, comma-separated, e.g. -1001234567890) where the
    /// bot answers too. Unset: private chats only — in a group, cards and
    /// /export (prices, notes) would reach every member.
    #[arg(long, env = "SPARES_BOT_ALLOWED_CHATS", value_name = "IDS")]
    pub allowed_chats: Option<ChatList>,

    /// Bot API server (tests and self-hosted Bot API servers); default
    /// https://api.telegram.org.
    #[arg(long, env = "TELOXIDE_API_URL")]
    pub api_url: Option<Url>,

    /// Log format: text or json.
    #[arg(long, env = "SPARES_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// The Telegram user ids that may use the bot. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowList(BTreeSet<u64>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllowListError {
    #[error(
        "no user ids: give the Telegram user ids allowed to use the bot, e.g. 123456789,987654321"
    )]
    Empty,
    #[error("{0:?} is not a Telegram user id (digits only, e.g. 123456789)")]
    NotAnId(String),
}

impl FromStr for AllowList {
    type Err = AllowListError;
    fn from_str(text: &str) -> Result<AllowList, AllowListError> {
        let mut ids = BTreeSet::new();
        for part in text
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let id = part
                .parse::<u64>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| AllowListError::NotAnId(part.chars().take(40).collect()))?;
            ids.insert(id);
        }
        if ids.is_empty() {
            return Err(AllowListError::Empty);
        }
        Ok(AllowList(ids))
    }
}

impl AllowList {
    pub fn allows(&self, user: u64) -> bool {
        self.0.contains(&user)
    }
}

impl fmt::Display for AllowList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<String> = self.0.iter().map(u64::to_string).collect();
        f.write_str(&ids.join(","))
    }
}

/// Group chat ids where the bot may answer (negative numbers, as Telegram
/// gives them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChatList(BTreeSet<i64>);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a Telegram chat id (a number such as -1001234567890)")]
pub struct ChatListError(String);

impl FromStr for ChatList {
    type Err = ChatListError;
    fn from_str(text: &str) -> Result<ChatList, ChatListError> {
        text.split([',', ' ', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                p.parse::<i64>()
                    .ok()
                    .filter(|n| *n != 0)
                    .ok_or_else(|| ChatListError(p.chars().take(40).collect()))
            })
            .collect::<Result<BTreeSet<_>, _>>()
            .map(ChatList)
    }
}

impl ChatList {
    pub fn allows(&self, chat: i64) -> bool {
        self.0.contains(&chat)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn chat_lists() {
        let list: ChatList = "-1001234567890, -42".parse().expect("ids");
        assert!(list.allows(-1001234567890) && list.allows(-42));
        assert!(!list.allows(42));
        assert_eq!("".parse::<ChatList>(), Ok(ChatList::default()));
        assert!("group".parse::<ChatList>().is_err());
        assert!("0".parse::<ChatList>().is_err());
    }

    use super::*;

    #[test]
    fn allow_lists() {
        let list: AllowList = "123, 456;789 123".parse().expect("ids");
        assert!(list.allows(123) && list.allows(456) && list.allows(789));
        assert!(!list.allows(1));
        assert_eq!(list.to_string(), "123,456,789");
        assert_eq!("".parse::<AllowList>(), Err(AllowListError::Empty));
        assert_eq!(" , ".parse::<AllowList>(), Err(AllowListError::Empty));
        assert_eq!(
            "123,@bob".parse::<AllowList>(),
            Err(AllowListError::NotAnId("@bob".into()))
        );
        assert!("-5".parse::<AllowList>().is_err());
        assert!("0".parse::<AllowList>().is_err());
    }
}
