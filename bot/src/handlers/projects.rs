//! Projects in the chat. A KiCad schematic or a BOM CSV sent as a file, or
//! `/check` with a typed list, is kept as a project (a file under its name
//! without the extension; the same name again replaces that project's
//! lines) and checked for one board: "You can build 3. Short: … Missing:
//! …" with *Build 1*, *Shopping list* and *Details*. `/projects` lists
//! them, `/build NAME [N]` builds, *Undo build* puts a build back.

use std::sync::Arc;

use spares_bom::{File, read_files, read_pasted};
use spares_core::StoreError;
use spares_core::project::{
    self, BuildError, BuildId, Check, Project, ProjectId, ProjectName, ShopFormat, Verdict,
};
use teloxide::prelude::*;
use teloxide::types::{FileMeta, InlineKeyboardButton, InlineKeyboardMarkup, ParseMode, User};
use teloxide::utils::html::escape;

use super::{HandlerResult, actor, say};
use crate::action::Action;
use crate::files::MAX_PHOTO_BYTES;
use crate::{App, BotError, retry};

/// Longest text sent in one message (Telegram's limit is 4096 characters;
/// HTML tags count).
const MAX_TEXT: usize = 3500;

/// Endings of the files read as designs.
const DESIGN_ENDINGS: [&str; 5] = [".kicad_sch", ".csv", ".tsv", ".txt", ".zip"];

/// The design file in a message: a document whose name ends as a
/// schematic, a BOM or a list does.
pub(crate) fn design_file_of(msg: &Message) -> Option<(FileMeta, String)> {
    let doc = msg.document()?;
    let name = doc.file_name.clone()?;
    let lower = name.to_ascii_lowercase();
    DESIGN_ENDINGS
        .iter()
        .any(|e| lower.ends_with(e))
        .then(|| (doc.file.clone(), name))
}

/// Cuts a text to [`MAX_TEXT`] characters at a line end, saying so.
fn bounded(text: String) -> String {
    if text.chars().count() <= MAX_TEXT {
        return text;
    }
    let mut out = String::new();
    for line in text.lines() {
        if out.chars().count() + line.chars().count() + 40 > MAX_TEXT {
            out.push_str("… (more on the web or with spares check)");
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn button(text: impl Into<String>, action: Action) -> InlineKeyboardButton {
    InlineKeyboardButton::callback(text, action.to_string())
}

fn keyboard(project: ProjectId, check: &Check) -> InlineKeyboardMarkup {
    let boards = check.boards;
    let mut first = Vec::new();
    if check.can_build() {
        first.push(button(
            format!("Build {boards}"),
            Action::ProjectBuild { project, boards },
        ));
    }
    first.push(button(
        "Shopping list",
        Action::ProjectShopping { project, boards },
    ));
    first.push(button(
        "Details",
        Action::ProjectDetails { project, boards },
    ));
    InlineKeyboardMarkup::new(vec![first])
}

/// What a line is, for a person: "100nF (C1, C2)", "NE555".
fn what(l: &project::LineCheck) -> String {
    let value = [
        &l.line.text,
        &l.line.value,
        &l.line.mpn,
        &l.line.description,
    ]
    .into_iter()
    .find(|t| !t.trim().is_empty())
    .cloned()
    .unwrap_or_else(|| l.understood.clone());
    if l.line.designators.is_empty() {
        value
    } else {
        format!("{value} ({})", l.line.designators_text())
    }
}

/// "You can build 3. Short: 2 × 100nF (you have 1). Missing: 1 × NE555."
pub(crate) fn verdict(p: &Project, c: &Check) -> String {
    let mut text = format!(
        "<b>{}</b> ({} lines): you can build {} board{} from stock now.",
        escape(p.data.name.as_str()),
        c.lines.len(),
        c.buildable,
        if c.buildable == 1 { "" } else { "s" }
    );
    let part = |v: Verdict| -> Vec<String> {
        c.lines
            .iter()
            .filter(|l| l.verdict == v)
            .map(|l| {
                let mut s = format!("{} × {}", l.needed, escape(&what(l)));
                match v {
                    Verdict::Short => s.push_str(&format!(" (you have {})", l.have)),
                    Verdict::Substitute => {
                        if let Some(sub) = l.substitutes.first() {
                            s.push_str(&format!(" (you have {})", escape(&sub.what)));
                        }
                    }
                    _ => {}
                }
                s
            })
            .collect()
    };
    for (v, word) in [
        (Verdict::Short, "Short"),
        (Verdict::Substitute, "Only a substitute"),
        (Verdict::Missing, "Missing"),
    ] {
        let lines = part(v);
        if !lines.is_empty() {
            text.push_str(&format!("\n{word}: {}.", lines.join("; ")));
        }
    }
    if !c.cost.is_empty() {
        let cost: Vec<String> = c.cost.iter().map(ToString::to_string).collect();
        text.push_str(&format!(
            "\nParts from stock for {}: {}.",
            c.boards,
            cost.join(" + ")
        ));
    }
    bounded(text)
}

async fn send_verdict(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    p: &Project,
    boards: u32,
) -> HandlerResult {
    let c = project::check_project(app.store.as_ref(), p, boards).await?;
    retry::send(
        bot.send_message(chat, verdict(p, &c))
            .parse_mode(ParseMode::Html)
            .reply_markup(keyboard(p.id, &c)),
    )
    .await?;
    Ok(())
}

async fn kept(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    name: ProjectName,
    sources: Vec<String>,
    design: spares_bom::Design,
) -> HandlerResult {
    let warnings = design.warnings.clone();
    let (p, replaced) = match project::save(app.store.as_ref(), name, sources, design.lines).await {
        Ok(kept) => kept,
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict(_))) => {
            return say(
                bot,
                chat,
                format!("{}; nothing was saved.", escape(&e.to_string())),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    let mut note = format!(
        "{} project #{} “{}”.",
        if replaced { "Updated" } else { "Saved as" },
        p.id,
        escape(p.data.name.as_str())
    );
    for w in warnings.iter().take(3) {
        note.push_str(&format!("\nWarning: {}", escape(w)));
    }
    say(bot, chat, note).await?;
    send_verdict(bot, app, chat, &p, 1).await
}

/// A schematic or BOM sent as a file.
pub(crate) async fn on_design_file(bot: Bot, app: Arc<App>, msg: Message) -> HandlerResult {
    let chat = msg.chat.id;
    let Some((file, name)) = design_file_of(&msg) else {
        return Ok(());
    };
    let limit = MAX_PHOTO_BYTES.min(spares_bom::MAX_FILE_BYTES as u32);
    if file.size > limit {
        return say(
            &bot,
            chat,
            format!(
                "{} is larger than {} MB; nothing was read.",
                escape(&name),
                limit >> 20
            ),
        )
        .await;
    }
    let bytes = match app.files.fetch(&bot, &file).await {
        Ok(b) => b,
        Err(BotError::TooLarge) => {
            return say(
                &bot,
                chat,
                format!("{} is too large; nothing was read.", escape(&name)),
            )
            .await;
        }
        Err(e) => {
            tracing::warn!(error = %e, "design download failed");
            return say(
                &bot,
                chat,
                "I could not download that file from Telegram; please send it again.",
            )
            .await;
        }
    };
    let design = match read_files(
        &[File {
            name: name.clone(),
            bytes,
        }],
        None,
    ) {
        Ok(d) => d,
        Err(e) => {
            let mut text = escape(&e.to_string());
            if matches!(e, spares_bom::BomError::UnknownColumns { .. }) {
                text.push_str(" (on the web's Projects page, under Columns)");
            }
            text.push_str("; nothing was saved.");
            return say(&bot, chat, text).await;
        }
    };
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    let project_name = match ProjectName::parse(stem) {
        Ok(n) => n,
        Err(e) => {
            return say(
                &bot,
                chat,
                format!("Name: {}; nothing was saved.", escape(&e.to_string())),
            )
            .await;
        }
    };
    kept(&bot, &app, chat, project_name, vec![name.clone()], design).await
}

/// The list after `/check` when the command's line ends right after it
/// (Telegram's command parser wants a space there, a list has a line
/// break): "/check\n4x 10k" or "/check@SparesBot\n…".
pub(crate) fn check_with_list(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("/check")?;
    let rest = match rest.strip_prefix('@') {
        Some(r) => r.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_'),
        None => rest,
    };
    rest.starts_with(['\n', '\r']).then_some(rest)
}

/// `/check` and one part per line after it.
pub(crate) async fn check_list(bot: &Bot, app: &App, chat: ChatId, text: &str) -> HandlerResult {
    if text.trim().is_empty() {
        return say(
            bot,
            chat,
            "Send <code>/check</code> with one part per line below it, e.g.\n<code>/check\n4x 10k 0805\n100nF x6\nNE555</code>\n— or send a KiCad schematic or a BOM CSV as a file.",
        )
        .await;
    }
    let design = match read_pasted("your list", text) {
        Ok(d) => d,
        Err(e) => {
            return say(
                bot,
                chat,
                format!("{}; nothing was saved.", escape(&e.to_string())),
            )
            .await;
        }
    };
    let name = chrono::Utc::now()
        .format("List %Y-%m-%d %H:%M:%S")
        .to_string();
    let name = ProjectName::parse(&name).map_err(|e| BotError::Dialogue(e.to_string()))?;
    kept(bot, app, chat, name, vec!["typed list".into()], design).await
}

/// `/projects`.
pub(crate) async fn list(bot: &Bot, app: &App, chat: ChatId) -> HandlerResult {
    let projects = app.store.list_projects().await?;
    if projects.is_empty() {
        return say(bot, chat, "No projects yet: send a KiCad schematic or a BOM CSV as a file, or /check with a list.").await;
    }
    let mut text = String::from("Your projects:");
    let mut rows = Vec::new();
    for p in projects.iter().take(30) {
        text.push_str(&format!(
            "\n#{} {} — {} lines",
            p.id,
            escape(p.data.name.as_str()),
            p.data.lines.len()
        ));
        if rows.len() < 10 {
            rows.push(vec![button(
                format!(
                    "Check {}",
                    p.data.name.as_str().chars().take(30).collect::<String>()
                ),
                Action::ProjectDetails {
                    project: p.id,
                    boards: 1,
                },
            )]);
        }
    }
    text.push_str("\n/build <i>name</i> <i>boards</i> builds one.");
    retry::send(
        bot.send_message(chat, bounded(text))
            .parse_mode(ParseMode::Html)
            .reply_markup(InlineKeyboardMarkup::new(rows)),
    )
    .await?;
    Ok(())
}

/// `/build NAME [N]`: the last word is the number of boards when it is one.
pub(crate) async fn build_command(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    text: &str,
) -> HandlerResult {
    let text = text.trim();
    if text.is_empty() {
        return say(
            bot,
            chat,
            "Which project? e.g. <code>/build Tube amp 2</code> (/projects lists them)",
        )
        .await;
    }
    let (name, boards) = match text.rsplit_once(char::is_whitespace) {
        Some((name, n)) if n.parse::<u32>().is_ok() => (name.trim(), n.parse::<u32>().unwrap_or(1)),
        _ => (text, 1),
    };
    if !(1..=project::MAX_BOARDS).contains(&boards) {
        return say(
            bot,
            chat,
            format!("Boards: from 1 to {}.", project::MAX_BOARDS),
        )
        .await;
    }
    let p = match project::find(app.store.as_ref(), name).await {
        Ok(p) => p,
        Err(StoreError::NotFound { .. }) => {
            return say(
                bot,
                chat,
                format!(
                    "There is no project “{}” (/projects lists them).",
                    escape(name)
                ),
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    build(bot, app, chat, user, p.id, boards).await
}

/// Builds and says what was taken (with *Undo build*), or which lines are short.
pub(crate) async fn build(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    id: ProjectId,
    boards: u32,
) -> HandlerResult {
    let p = app.store.get_project(id).await?;
    match project::build(app.store.as_ref(), &p, boards, &actor(user)).await {
        Ok(built) => {
            let parts: u64 = built.build.takes.iter().map(|t| t.quantity).sum();
            let mut text = format!(
                "Built {} × {}: took {parts} part{} from {} spare{}.",
                built.build.boards,
                escape(p.data.name.as_str()),
                if parts == 1 { "" } else { "s" },
                built.build.takes.len(),
                if built.build.takes.len() == 1 {
                    ""
                } else {
                    "s"
                }
            );
            for b in built.check.boxes_to_visit().iter().take(20) {
                let place = b
                    .code
                    .as_ref()
                    .map_or("no box".to_owned(), |c| c.to_string());
                text.push_str(&format!(
                    "\n{}: {}",
                    escape(&place),
                    escape(&b.take_texts().join("; "))
                ));
            }
            retry::send(
                bot.send_message(chat, bounded(text))
                    .parse_mode(ParseMode::Html)
                    .reply_markup(InlineKeyboardMarkup::new(vec![vec![button(
                        "Undo build",
                        Action::UndoBuild {
                            build: built.build.id,
                        },
                    )]])),
            )
            .await?;
            Ok(())
        }
        Err(e @ BuildError::Short { .. }) => say(bot, chat, bounded(escape(&e.to_string()))).await,
        Err(BuildError::Store(e)) => Err(e.into()),
    }
}

/// Every line with its verdict and where its parts are.
pub(crate) async fn details(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    id: ProjectId,
    boards: u32,
) -> HandlerResult {
    let p = app.store.get_project(id).await?;
    let c = project::check_project(app.store.as_ref(), &p, boards).await?;
    let mut text = format!("<b>{}</b> for {boards}:", escape(p.data.name.as_str()));
    for l in &c.lines {
        let mark = match l.verdict {
            Verdict::Enough => "✅",
            Verdict::Short => "⚠️",
            Verdict::Substitute => "🔁",
            Verdict::Missing => "❌",
        };
        text.push_str(&format!(
            "\n{mark} {} × {} — {}",
            l.needed,
            escape(&what(l)),
            l.verdict.name()
        ));
        for t in &l.takes {
            let place = t
                .spare
                .location
                .as_ref()
                .map_or("no box".to_owned(), |b| b.to_string());
            text.push_str(&format!(
                "\n    take {} from {} (#{})",
                t.quantity,
                escape(&place),
                t.spare.id
            ));
        }
        if l.verdict != Verdict::Enough
            && let Some(s) = l.substitutes.first()
        {
            text.push_str(&format!(
                "\n    could use {} — {}",
                escape(&s.what),
                escape(&s.why)
            ));
        }
    }
    retry::send(
        bot.send_message(chat, bounded(text))
            .parse_mode(ParseMode::Html)
            .reply_markup(keyboard(p.id, &c)),
    )
    .await?;
    Ok(())
}

/// What to order, as a plain list.
pub(crate) async fn shopping(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    id: ProjectId,
    boards: u32,
) -> HandlerResult {
    let p = app.store.get_project(id).await?;
    let c = project::check_project(app.store.as_ref(), &p, boards).await?;
    let list = project::shopping_list(&c, 0);
    if list.is_empty() {
        return say(
            bot,
            chat,
            format!(
                "Nothing to order: the stock covers {boards} × {}.",
                escape(p.data.name.as_str())
            ),
        )
        .await;
    }
    let text = format!(
        "To order for {boards} × {}:\n{}\nCSV for LCSC, Mouser or Digi-Key: on the project's web page, or <code>spares shopping</code>.",
        escape(p.data.name.as_str()),
        escape(&project::shopping::write(&list, ShopFormat::Plain))
    );
    say(bot, chat, bounded(text)).await
}

/// *Undo build*.
pub(crate) async fn undo(
    bot: &Bot,
    app: &App,
    chat: ChatId,
    user: &User,
    build: BuildId,
) -> HandlerResult {
    match project::undo(app.store.as_ref(), build, &actor(user)).await {
        Ok(b) => {
            let parts: u64 = b.takes.iter().map(|t| t.quantity).sum();
            say(
                bot,
                chat,
                format!(
                    "Build undone: {parts} part{} put back.",
                    if parts == 1 { "" } else { "s" }
                ),
            )
            .await
        }
        Err(e @ (StoreError::Conflict(_) | StoreError::NotFound { .. })) => {
            say(
                bot,
                chat,
                format!("{}; nothing was changed.", escape(&e.to_string())),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
