//! `tejido serve`: migrate, optionally load the demo, then serve HTTP with the outbox worker
//! beside it, until SIGTERM or Ctrl-C; in-flight requests finish before the process exits.

use std::net::SocketAddr;

use clap::Args;
use tejido_web::{AppState, WebConfig};

use crate::config::Config;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on (default 127.0.0.1:8080; also TEJIDO_BIND).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<String>,
    /// Public URL used in e-mailed links (also TEJIDO_BASE_URL).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Load the Spanish demo dataset if the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Directory for uploaded files (default ./tejido-data; also TEJIDO_DATA_DIR, data_dir).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<String>,
}

pub async fn run(mut cfg: Config, args: ServeArgs) -> anyhow::Result<()> {
    if let Some(d) = &args.data_dir {
        cfg.data_dir = crate::config::Setting {
            value: d.clone(),
            source: crate::config::Source::Flag("--data-dir"),
        };
    }
    let data_dir = std::path::PathBuf::from(&cfg.data_dir.value);
    std::fs::create_dir_all(data_dir.join("uploads")).map_err(|e| {
        anyhow::anyhow!(
            "data_dir ({}): cannot create {}/uploads: {e}",
            cfg.data_dir.source,
            cfg.data_dir.value
        )
    })?;
    // Temporary files of uploads a crash interrupted (an interrupted request removes its own).
    match tejido_web::uploads::remove_stale_temporaries(&data_dir, tejido_web::uploads::STALE_AFTER)
    {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            removed = n,
            "temporary upload files left behind were removed"
        ),
        Err(e) => tracing::warn!(error = %e, "could not clean temporary upload files"),
    }
    let db = super::open_db(&cfg).await?;
    if args.demo {
        crate::demo::load_and_report(&db).await?;
    }
    // The key is shared by every process through the database unless configured.
    let secret = match &cfg.secret_key {
        Some(s) => s.value.0.clone(),
        None => {
            tejido_db::settings::get_or_insert(&db, "secret_key", &crate::demo::random_hex(32))
                .await?
        }
    };
    let mut web = WebConfig::new(&cfg.base_url.value, secret.into_bytes());
    web.data_dir = data_dir;
    web.upload_max_bytes = cfg.upload_max_bytes.value;
    web.trusted_proxies = cfg.trusted_proxies.value.clone();
    web.upload_quota_bytes = u64::try_from(cfg.upload_quota_bytes.value).unwrap_or(u64::MAX);
    web.upload_concurrency = cfg.upload_concurrency.value;
    web.max_in_flight = cfg.max_in_flight.value;
    let state = AppState::new(db.clone(), web)?;
    if args.demo {
        // The demo's attachments: their rows were loaded with the data, their bytes go here.
        // (demo/library.rs attaches `tejido_core::uploads::SAMPLE_PDF` to a resource).
        tejido_web::uploads::write_bytes(&state, tejido_core::uploads::SAMPLE_PDF).await?;
    }
    let app = tejido_web::router(state.clone());
    let mailer = tejido_web::mailer::Mailer::new(cfg.smtp.as_ref())?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(tejido_web::jobs::run(state, mailer, stop_rx));
    // Hourly, the same sweep: temporary files no upload has written to for a while.
    let sweep = tokio::spawn(sweep_temporaries(data_dir_of(&cfg)));

    let listener = tokio::net::TcpListener::bind(cfg.bind.value)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot listen on {} ({}): {e}",
                cfg.bind.value,
                cfg.bind.source
            )
        })?;
    tracing::info!(url = %cfg.base_url.value, bind = %cfg.bind.value, "Tejido is listening");
    println!(
        "Tejido is running at {} (listening on {})",
        cfg.base_url.value, cfg.bind.value
    );
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    tracing::info!("shutting down: in-flight requests finished");
    let _ = stop_tx.send(true);
    let _ = worker.await;
    sweep.abort();
    db.close().await;
    Ok(())
}

fn data_dir_of(cfg: &Config) -> std::path::PathBuf {
    std::path::PathBuf::from(&cfg.data_dir.value)
}

async fn sweep_temporaries(data_dir: std::path::PathBuf) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    every.tick().await;
    loop {
        every.tick().await;
        let dir = data_dir.clone();
        let r = tokio::task::spawn_blocking(move || {
            tejido_web::uploads::remove_stale_temporaries(&dir, tejido_web::uploads::STALE_AFTER)
        })
        .await;
        match r {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => tracing::info!(removed = n, "stale temporary upload files removed"),
            Ok(Err(e)) => tracing::warn!(error = %e, "could not clean temporary upload files"),
            Err(e) => tracing::warn!(error = %e, "temporary upload sweep failed"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
