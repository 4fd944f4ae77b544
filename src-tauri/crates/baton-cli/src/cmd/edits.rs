//! Edits of versioned things the other modules do not cover: a campaign, a parked topic,
//! a stage's name.
//! Each takes `--if-version N` (the `row_version` the caller saw, from `--json`); a stale
//! one is refused (`conflict`, exit non-zero, the message naming what changed) and
//! nothing changes.

use super::workshop::emit;
use crate::Ctx;
use baton_core::{BatonError, Result};
use baton_service::workshop::campaigns::CampaignDraft;
use clap::Subcommand;
use serde_json::json;

#[derive(Subcommand)]
pub enum Command {
    /// Add a campaign: `campaign-add "Spring webinar" --channel webinar --persona 1`.
    CampaignAdd {
        name: String,
        /// The persona it targets (a persona id).
        #[arg(long)]
        persona: Option<i64>,
        #[arg(long, default_value = "")]
        channel: String,
        /// What sales asked for: targets, timing, follow-up capacity.
        #[arg(long, default_value = "")]
        sales_input: String,
    },
    /// Change a campaign: only the fields given. Refused (`conflict`) when it is no
    /// longer at `--if-version` (its `row_version`, from `campaigns --json`), or changed
    /// between this command's read and its write.
    CampaignEdit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        /// The persona it targets (a persona id).
        #[arg(long, conflicts_with = "no_persona")]
        persona: Option<i64>,
        /// Target no persona.
        #[arg(long)]
        no_persona: bool,
        #[arg(long)]
        channel: Option<String>,
        /// What sales asked for: targets, timing, follow-up capacity.
        #[arg(long)]
        sales_input: Option<String>,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// The funnel's stages and their version (`stages_version`, for `--if-version`).
    Stages,
    /// Rename a stage: `stage-rename sql "Sales Qualified"`. Refused (`conflict`) when the
    /// stages are no longer at `--if-version` (`stages_version` from `stages --json`).
    StageRename {
        id: String,
        name: String,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// Park a topic in a session: `park "Who owns lead routing?" --session 1`.
    Park {
        text: String,
        #[arg(long)]
        session: i64,
    },
    /// Resolve a parked topic (`--reopen`: open it again). Refused (`conflict`) when it
    /// is no longer at `--if-version` (its `row_version`, from `sessions --json`).
    ParkResolve {
        /// The parked topic's id.
        id: i64,
        #[arg(long)]
        reopen: bool,
        #[arg(long)]
        if_version: Option<i64>,
    },
}

impl Command {
    pub fn run(self, ctx: &Ctx) -> Result<()> {
        let svc = ctx.service()?;
        match self {
            Command::CampaignAdd {
                name,
                persona,
                channel,
                sales_input,
            } => {
                let draft = CampaignDraft {
                    name,
                    persona_id: persona,
                    channel,
                    sales_input,
                };
                let c = svc.campaign_save(None, &draft, None)?;
                emit(ctx, &c, || {
                    vec![format!("added campaign {} ({})", c.id, c.name)]
                })
            }
            Command::CampaignEdit {
                id,
                name,
                persona,
                no_persona,
                channel,
                sales_input,
                if_version,
            } => {
                let old = svc
                    .campaigns()?
                    .into_iter()
                    .find(|c| c.id == id)
                    .ok_or_else(|| BatonError::not_found(format!("there is no campaign {id}")))?;
                let draft = CampaignDraft {
                    name: name.unwrap_or(old.name),
                    persona_id: if no_persona {
                        None
                    } else {
                        persona.or(old.persona_id)
                    },
                    channel: channel.unwrap_or(old.channel),
                    sales_input: sales_input.unwrap_or(old.sales_input),
                };
                let seen = if_version.or(Some(old.row_version));
                let c = svc.campaign_save(Some(id), &draft, seen)?;
                emit(ctx, &c, || {
                    vec![format!(
                        "changed campaign {} ({}), now at version {}",
                        c.id, c.name, c.row_version
                    )]
                })
            }
            Command::Stages => {
                let v = svc.vocabulary()?;
                let value = json!({ "stages": v.stages, "stages_version": v.stages_version });
                emit(ctx, &value, || {
                    let mut lines: Vec<String> = v
                        .stages
                        .iter()
                        .map(|s| format!("{:<12} {}", s.id, s.name))
                        .collect();
                    lines.push(format!("(version {})", v.stages_version));
                    lines
                })
            }
            Command::StageRename {
                id,
                name,
                if_version,
            } => {
                svc.stage_rename(&id, &name, if_version)?;
                emit(ctx, &json!({ "id": id, "name": name.trim() }), || {
                    vec![format!("stage {id} is now called {}", name.trim())]
                })
            }
            Command::Park { text, session } => {
                let s = svc.park(session, &text)?;
                let item = s.parking_lot.iter().max_by_key(|p| p.id);
                emit(ctx, &item, || {
                    vec![format!(
                        "parked topic {} in session {} ({})",
                        item.map_or(0, |p| p.id),
                        s.id,
                        s.title
                    )]
                })
            }
            Command::ParkResolve {
                id,
                reopen,
                if_version,
            } => {
                svc.park_resolve(id, !reopen, if_version)?;
                let state = if reopen { "open again" } else { "resolved" };
                emit(ctx, &json!({ "id": id, "resolved": !reopen }), || {
                    vec![format!("parked topic {id} is {state}")]
                })
            }
        }
    }
}
