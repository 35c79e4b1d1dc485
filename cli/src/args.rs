//! The command line: every subcommand and its flags (clap). Settings shared
//! with the web app (`StoreArgs`, `CommonArgs`, `ServeArgs`) come from
//! `spares_web::config`, each an environment variable a flag overrides.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use spares_web::config::{CommonArgs, ServeArgs, StoreArgs};

/// Spares: what is in your electronics boxes.
#[derive(Debug, Parser)]
#[command(name = "spares", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub store: StoreArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the web app and the JSON API.
    Serve(ServeArgs),
    /// Answer a question about the stock, as the web and the bot do:
    /// spares ask "do I have a 10k resistor".
    Ask {
        /// The question, in words (quote it, or give several words).
        #[arg(required = true, num_args = 1..)]
        question: Vec<String>,
        /// Show at most this many parts.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Add a part described in one line: spares add "100 x 10k 0805 in A1".
    Add {
        /// How many, what, and optionally "in BOX".
        #[arg(required = true, num_args = 1..)]
        line: Vec<String>,
    },
    /// Take parts out: spares use 12 (one of part #12), spares use 12 5, or
    /// spares use "10k 0805" 5 when exactly one part matches.
    Use {
        /// The part's number (#12 or 12), or words that match one part.
        part: String,
        /// How many to take out.
        #[arg(default_value_t = 1)]
        count: i64,
    },
    /// Revert your newest change (add, use) made from this command line;
    /// again to walk further back.
    Undo,
    /// Add the spares of a CSV file (all rows or none).
    Import {
        /// The CSV file (columns: category, reference, value, package, quantity, ...).
        file: PathBuf,
    },
    /// Copy everything (ids, times, history) into another, empty database,
    /// e.g. --from sqlite://spares.db --to mongodb://localhost/spares.
    Migrate {
        /// Source database URL (default: SPARES_DATABASE_URL).
        #[arg(long)]
        from: Option<String>,
        /// Target database URL; it must be empty.
        #[arg(long)]
        to: String,
    },
    /// Make QR labels for boxes or parts: a PDF sheet (a4-3x8, letter-3x10)
    /// or label-printer PNGs (brother-62, brother-29x90, dymo-11354).
    Labels {
        /// Box codes, comma-separated (A1,A2).
        #[arg(long, value_delimiter = ',')]
        boxes: Vec<String>,
        /// Every box.
        #[arg(long, conflicts_with = "boxes")]
        all_boxes: bool,
        /// Part numbers, comma-separated (12,40).
        #[arg(long, value_delimiter = ',')]
        parts: Vec<i64>,
        /// Label size (see --help): a4-3x8, letter-3x10, brother-62, brother-29x90, dymo-11354.
        #[arg(long, default_value = "a4-3x8")]
        preset: String,
        /// First position to use on the first sheet (to reuse a partly used one).
        #[arg(long, default_value_t = 1)]
        start_at: usize,
        /// Moves everything right (negative: left) by this many mm, for
        /// printers that do not print where asked.
        #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
        offset_x: f64,
        /// Moves everything down (negative: up) by this many mm.
        #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
        offset_y: f64,
        /// Output file: .pdf, .png (label printers; one label, or NAME-1.png, NAME-2.png… for several) or .svg.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Print the text of every QR code in photos, one per line; exits 1 when
    /// there is none.
    Scan {
        /// JPEG, PNG or WebP files.
        #[arg(required = true)]
        photos: Vec<PathBuf>,
    },
    /// Can I build this? Check a KiCad schematic (with its sheet files), a
    /// BOM CSV or a typed list against the stock: spares check board.kicad_sch
    /// --boards 3. Prints each line's verdict and where to take the parts;
    /// exits 1 when the boards cannot be built from stock.
    Check {
        /// A .kicad_sch (and its sheets), a BOM .csv, or a list (.txt, or
        /// `-` to read it from standard input), one part per line.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How many boards.
        #[arg(long, short = 'n', default_value_t = 1)]
        boards: u32,
        /// For a CSV whose columns Spares does not recognise: which column
        /// holds what, e.g. "value=Comment, quantity=Qty, designators=Refs".
        #[arg(long)]
        columns: Option<String>,
        /// Also keep the design as a project with this name (then `spares
        /// build NAME` takes its parts out).
        #[arg(long, value_name = "NAME")]
        save: Option<String>,
        /// Also make it the new design of a saved project (its name or #3):
        /// its lines replaced, spares chosen by hand cleared, builds kept.
        #[arg(long, value_name = "PROJECT", conflicts_with = "save")]
        replace: Option<String>,
    },
    /// List the saved projects.
    Projects,
    /// Build boards of a saved project: take every part out at once (or
    /// nothing, naming the lines that are short; exit 1). `--undo BUILD`
    /// puts back what a build took.
    Build {
        /// The project's name or number (#3).
        #[arg(required_unless_present = "undo")]
        project: Option<String>,
        /// How many boards.
        #[arg(long, short = 'n', default_value_t = 1)]
        boards: u32,
        /// Undo this build (its number, as `spares build` printed it).
        #[arg(long, value_name = "BUILD", conflicts_with = "project")]
        undo: Option<i64>,
    },
    /// What to order for N boards of a saved project: a plain list, or a CSV
    /// for LCSC's, Mouser's or Digi-Key's BOM upload.
    Shopping {
        /// The project's name or number (#3).
        project: String,
        /// How many boards.
        #[arg(long, short = 'n', default_value_t = 1)]
        boards: u32,
        /// Spare parts to add per line.
        #[arg(long, default_value_t = 0)]
        extra: u32,
        /// plain, lcsc, mouser or digikey.
        #[arg(long, default_value = "plain")]
        format: String,
        /// Write here instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Exit 0 when the server at SPARES_LISTEN answers /healthz (for the
    /// container's HEALTHCHECK: the image has no curl).
    Healthcheck {
        /// Address of the server (default: SPARES_LISTEN, 0.0.0.0 read as 127.0.0.1).
        #[arg(long, env = "SPARES_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Print an argon2 hash of a password read from standard input (for
    /// SPARES_ADMIN_PASSWORD_HASH). The password is never an argument, so it
    /// stays out of shell history.
    HashPassword,
    /// Write a consistent backup of the database to FILE (a new SQLite
    /// file), while the web app and the bot keep working: SQLite's online
    /// backup, or MongoDB's snapshot read.
    Backup {
        /// The backup file to create (refused if it exists).
        file: PathBuf,
    },
    /// Restore a backup made by `spares backup` into an empty database
    /// (default: SPARES_DATABASE_URL), checking counts and the CSV checksum.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// The database to restore into; it must be empty.
        #[arg(long)]
        to: Option<String>,
    },
    /// End every signed-in web session now (for a cookie that may have
    /// been copied; changing the password does the same).
    SignOutEverywhere,
    /// Write every spare as CSV (to standard output unless -o is given).
    Export {
        /// Write to this file instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}
