//! `chatdb health serve`: the health endpoint on its own.

use anyhow::Context;
use db_config::DatabaseConfig;

use crate::Failure;

pub(crate) async fn run(config: &DatabaseConfig, bind: String, json: bool) -> Result<(), Failure> {
    // Lazy, so the server starts (and reports 503) while the database is down.
    let db = config.connect_lazy()?;
    let listener = tokio::net::TcpListener::bind(bind.as_str()).await.with_context(|| {
        format!("could not listen on {bind} (--bind); give HOST:PORT with a free port, e.g. localhost:8080")
    })?;
    let address = listener.local_addr().context("no local address")?;
    let url = format!("http://{address}/health/db");
    if json {
        println!("{}", serde_json::json!({ "listening": url }));
    } else {
        println!("Listening on {url}");
    }
    axum::serve(listener, health::router(db))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the health server stopped")?;
    Ok(())
}
