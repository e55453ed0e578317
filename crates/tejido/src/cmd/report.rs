//! `tejido report`: a community's report over a period, written as one HTML document (prints to
//! A4/Letter), one XLSX workbook (a sheet per table) or a directory of CSV files (one per table),
//! with a progress bar on standard error when it is a terminal. The figures are those of the
//! pages: `tejido_db::reports::facts` and `tejido_core::reports::build`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use tejido_core::accounts::Locale;
use tejido_core::reports::{self as core, Period};
use tejido_db::Db;
use tejido_web::i18n::{I18n, Tr};

use crate::config::Config;

/// What to write.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    /// One self-contained HTML document.
    Html,
    /// One XLSX workbook, a sheet per table.
    Xlsx,
    /// A directory with one CSV file per table (UTF-8 with BOM, RFC 4180).
    Csv,
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The community's slug (as in /c/SLUG).
    #[arg(long, value_name = "SLUG")]
    pub community: String,
    /// First day of the period, YYYY-MM-DD (default: twelve months before --to).
    #[arg(long, value_name = "DATE", default_value = "")]
    pub from: String,
    /// Last day of the period, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE", default_value = "")]
    pub to: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Output file (html, xlsx) or directory (csv; created when missing).
    #[arg(long, value_name = "PATH")]
    pub out: PathBuf,
    /// Language of titles and labels: es-MX or en.
    #[arg(long, value_name = "LANG", default_value = "es-MX")]
    pub lang: String,
}

/// A hand-drawn progress bar on standard error, silent when it is not a terminal.
pub struct Progress {
    enabled: bool,
    total: usize,
    done: usize,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            total: total.max(1),
            done: 0,
        }
    }

    /// The bar's text for `done` of `total`, e.g. `[#####---------------]  25% reading`.
    pub fn line(done: usize, total: usize, what: &str) -> String {
        const WIDTH: usize = 20;
        let total = total.max(1);
        let done = done.min(total);
        let filled = WIDTH * done / total;
        format!(
            "[{}{}] {:>3}% {what}",
            "#".repeat(filled),
            "-".repeat(WIDTH - filled),
            100 * done / total
        )
    }

    pub fn step(&mut self, what: &str) {
        self.done += 1;
        if self.enabled {
            let mut e = std::io::stderr();
            let _ = write!(e, "\r\x1b[2K{}", Self::line(self.done, self.total, what));
            if self.done >= self.total {
                let _ = writeln!(e);
            }
            let _ = e.flush();
        }
    }
}

fn locale(lang: &str) -> anyhow::Result<Locale> {
    match lang {
        "es-MX" | "es" => Ok(Locale::EsMx),
        "en" => Ok(Locale::En),
        other => anyhow::bail!("unknown language '{other}': use es-MX or en"),
    }
}

fn period(args: &ReportArgs) -> anyhow::Result<Period> {
    Period::parse(&args.from, &args.to, tejido_db::now().date_naive()).map_err(|id| match id {
        "report-error-from-after-to" => {
            anyhow::anyhow!("--from ({}) is after --to ({})", args.from, args.to)
        }
        "report-error-too-long" => anyhow::anyhow!("the period cannot be longer than ten years"),
        _ => anyhow::anyhow!(
            "bad date in --from '{}' / --to '{}': write dates as YYYY-MM-DD",
            args.from,
            args.to
        ),
    })
}

/// Writes the report; returns the files written.
pub async fn generate(db: &Db, args: &ReportArgs) -> anyhow::Result<Vec<PathBuf>> {
    let loc = locale(&args.lang)?;
    let p = period(args)?;
    let m = tejido_db::communities::by_slug(db, args.community.trim())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no community with the slug '{}'", args.community))?;
    let i18n = I18n::new()?;
    let tr = Tr {
        i18n: &i18n,
        locale: loc,
    };
    let writes = match args.format {
        ReportFormat::Csv => core::TABLES.len(),
        _ => 1,
    };
    let mut bar = Progress::new(2 + writes);
    let facts = tejido_db::reports::facts(db, &m, p).await?;
    bar.step("read");
    let report = core::build(&facts, p);
    bar.step("computed");
    let mut out = Vec::new();
    match args.format {
        ReportFormat::Html => {
            let html = tejido_web::features::reports::document(tr, report)?;
            write(&args.out, html.as_bytes())?;
            bar.step("html");
            out.push(args.out.clone());
        }
        ReportFormat::Xlsx => {
            let tables = report.tables(&|id| tr.t(id));
            write(&args.out, &core::xlsx::workbook(&tables))?;
            bar.step("xlsx");
            out.push(args.out.clone());
        }
        ReportFormat::Csv => {
            std::fs::create_dir_all(&args.out)
                .with_context(|| format!("cannot create {}", args.out.display()))?;
            for t in report.tables(&|id| tr.t(id)) {
                let path = args.out.join(format!("{}.csv", t.key));
                write(&path, core::csv(&t).as_bytes())?;
                bar.step(t.key);
                out.push(path);
            }
        }
    }
    Ok(out)
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

pub async fn run(cfg: Config, args: ReportArgs) -> anyhow::Result<()> {
    // Check the arguments before touching the database.
    locale(&args.lang)?;
    period(&args)?;
    let db = super::open_db(&cfg).await?;
    let files = generate(&db, &args).await?;
    for f in files {
        println!("{}", f.display());
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        args: ReportArgs,
    }

    fn args(v: &[&str]) -> ReportArgs {
        let mut all = vec!["report"];
        all.extend_from_slice(v);
        Cli::try_parse_from(all).unwrap().args
    }

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn progress_line_fills_up() {
        assert_eq!(
            Progress::line(0, 4, "read"),
            "[--------------------]   0% read"
        );
        assert_eq!(
            Progress::line(1, 4, "read"),
            "[#####---------------]  25% read"
        );
        assert_eq!(
            Progress::line(4, 4, "done"),
            "[####################] 100% done"
        );
    }

    #[tokio::test]
    async fn writes_every_format_and_refuses_bad_input() {
        let app = tejido_test::TestApp::sqlite().await;
        let (_, pid) = app.user("lider-cli@example.org", false).await;
        let (cid, slug) = app.community("Red de Mediación CLI", pid, "private").await;
        let org = app.organization("Colectivo CLI").await;
        let mut tx = app.db.begin().await.unwrap();
        tejido_db::communities::add_organization(&mut tx, cid, org, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let dir = std::env::temp_dir().join(format!("tejido-report-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let today = tejido_db::now().date_naive().to_string();

        let html = dir.join("r.html");
        let a = args(&[
            "--community",
            &slug,
            "--format",
            "html",
            "--out",
            html.to_str().unwrap(),
        ]);
        generate(&app.db, &a).await.unwrap();
        let text = std::fs::read_to_string(&html).unwrap();
        assert!(text.starts_with("<!doctype html>"));
        assert_eq!(text.matches("class=\"report-section\"").count(), 12);
        assert!(text.contains("Red de Mediación CLI"));
        assert!(text.contains("Integrantes y cambios en la membresía"));

        let xlsx = dir.join("r.xlsx");
        let a = args(&[
            "--community",
            &slug,
            "--to",
            &today,
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
            "--lang",
            "en",
        ]);
        generate(&app.db, &a).await.unwrap();
        let bytes = std::fs::read(&xlsx).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"));
        assert!(String::from_utf8_lossy(&bytes).contains("Events of the period"));

        let csv_dir = dir.join("csv");
        let a = args(&[
            "--community",
            &slug,
            "--format",
            "csv",
            "--out",
            csv_dir.to_str().unwrap(),
        ]);
        let files = generate(&app.db, &a).await.unwrap();
        assert_eq!(files.len(), core::TABLES.len());
        let membership = std::fs::read_to_string(csv_dir.join("membership.csv")).unwrap();
        assert!(membership.starts_with('\u{feff}'));
        // One organization and one person joined today, inside the default period.
        assert!(
            membership.contains("Organizaciones,0,1,0,1\r\n"),
            "{membership}"
        );
        assert!(membership.contains("Personas,0,1,0,1\r\n"), "{membership}");

        let out = dir.join("x.html");
        let out = out.to_str().unwrap();
        let err = |v: Vec<&str>| {
            let a = args(&v);
            let db = app.db.clone();
            async move { generate(&db, &a).await.unwrap_err().to_string() }
        };
        let e = err(vec!["--community", "no-existe", "--out", out]).await;
        assert!(e.contains("no community with the slug 'no-existe'"), "{e}");
        let e = err(vec![
            "--community",
            &slug,
            "--from",
            "2026-02-30",
            "--out",
            out,
        ])
        .await;
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let e = err(vec![
            "--community",
            &slug,
            "--from",
            "2026-06-01",
            "--to",
            "2026-01-01",
            "--out",
            out,
        ])
        .await;
        assert!(e.contains("is after --to"), "{e}");
        let e = err(vec!["--community", &slug, "--lang", "fr", "--out", out]).await;
        assert!(e.contains("unknown language"), "{e}");
        assert!(!Path::new(out).exists(), "nothing written on an error");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
