//! Progress of long jobs (seeding, copies) on stderr: a bar per table on a terminal,
//! otherwise (a log, a pipe) a line per table as it is done, so that a long job is never
//! silent and a log never fills with bar redraws.

use std::io::IsTerminal;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress of a job made of tables, when wanted.
pub struct Progress {
    bars: Option<MultiProgress>,
    lines: bool,
}

impl Progress {
    /// Progress shown when `wanted`: bars on a terminal, lines elsewhere.
    pub fn new(wanted: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        Self {
            bars: (wanted && terminal)
                .then(|| MultiProgress::with_draw_target(ProgressDrawTarget::stderr())),
            lines: wanted && !terminal,
        }
    }

    /// A bar for `name`, expecting about `rows` rows (hidden off a terminal).
    pub fn table(&self, name: &str, rows: u64) -> ProgressBar {
        let Some(bars) = &self.bars else { return ProgressBar::hidden() };
        let bar = bars.add(ProgressBar::new(rows));
        let style = ProgressStyle::with_template(
            "{prefix:>22} {bar:30.cyan/blue} {human_pos:>9}/{human_len:<9} {rate:>10} {elapsed:>4}",
        )
        .map(|style| {
            style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            )
        })
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(name.to_owned());
        bar
    }

    /// A table is done: the bar stops, or a line says so.
    pub fn done(&self, bar: &ProgressBar, table: &str, rows: u64, seconds: f64) {
        bar.finish();
        if self.lines {
            tracing::info!("{table}: {rows} rows in {seconds:.1} s");
        }
    }

    /// A step between tables, said on a line whenever progress is shown.
    pub fn note(&self, text: &str) {
        match &self.bars {
            Some(bars) => {
                let _ = bars.println(text);
            }
            None if self.lines => tracing::info!("{text}"),
            None => {}
        }
    }
}

/// Moves `bar` on by `rows`; the expected total was an estimate, so it grows with the
/// count instead of being overrun.
pub fn advance(bar: &ProgressBar, rows: u64) {
    bar.inc(rows);
    if bar.length().is_some_and(|len| bar.position() > len) {
        bar.set_length(bar.position());
    }
}
