//! [`ImportUndo`] on PostgreSQL: the file's `undo_import`, same checks, same errors, in
//! one write transaction that also holds the import lock (an undo never runs beside an
//! import).
use super::import_writer::take_import_lock;
use super::{pg_err, PgWorkspace};
use crate::prelude::ImportUndo;
use crate::records::RecordColumns;
use crate::UndoSummary;
use baton_core::{BatonError, Result};

/// Before-images restored per statement.
const RESTORE_SLICE: usize = 10_000;

impl ImportUndo for PgWorkspace {
    fn undo_import(&self, id: i64, now: i64) -> Result<UndoSummary> {
        let what = "undoing the import";
        self.write_tx(what, async |tx| {
            take_import_lock(tx, &format!("Baton undo of import {id}")).await?;
            let err = |e| pg_err(what, e);
            let undone: Option<i64> = tx
                .query_opt("SELECT undone_at FROM imports WHERE id = $1", &[&id])
                .await
                .map_err(err)?
                .ok_or_else(|| BatonError::not_found(format!("there is no import {id}")))?
                .get(0);
            if undone.is_some() {
                return Err(BatonError::conflict(format!(
                    "import {id} was already undone"
                )));
            }
            let later: Option<i64> = tx
                .query_one(
                    "SELECT max(r.last_import_id) FROM import_snapshots s JOIN records r ON r.id = s.record_id
                     WHERE s.import_id = $1 AND r.last_import_id <> $1",
                    &[&id],
                )
                .await
                .map_err(|e| pg_err("checking later imports", e))?
                .get(0);
            if let Some(later) = later {
                return Err(BatonError::conflict(format!(
                    "import {later} changed records that import {id} also wrote; undo import {later} first"
                )));
            }
            let images = tx
                .query(
                    "SELECT record_id, before FROM import_undo WHERE import_id = $1 ORDER BY record_id",
                    &[&id],
                )
                .await
                .map_err(|e| pg_err("reading undo images", e))?;
            let restore = tx
                .prepare(
                    "UPDATE records r SET current_stage = u.current_stage, outcome = u.outcome,
                        stage_dates = u.stage_dates, first_seen = u.first_seen, created_at = u.created_at,
                        closed_at = u.closed_at, source = u.source, campaign = u.campaign, owner = u.owner,
                        segment = u.segment, industry = u.industry, country = u.country,
                        company_size = u.company_size, amount = u.amount, lost_reason = u.lost_reason,
                        custom = u.custom, personal = u.personal, last_import_id = u.last_import_id
                     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                                 $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[],
                                 $11::text[], $12::text[], $13::text[], $14::bigint[],
                                 $15::float8[], $16::text[], $17::text[], $18::text[], $19::bigint[])
                        AS u(id, current_stage, outcome, stage_dates, first_seen, created_at, closed_at,
                             source, campaign, owner, segment, industry, country, company_size, amount,
                             lost_reason, custom, personal, last_import_id)
                     WHERE r.id = u.id",
                )
                .await
                .map_err(|e| pg_err("preparing restore", e))?;
            let mut restored = 0i64;
            for slice in images.chunks(RESTORE_SLICE) {
                let mut cols = Restore::default();
                for r in slice {
                    let before: String = r.get(1);
                    let before: RecordColumns = serde_json::from_str(&before).map_err(|e| {
                        BatonError::internal(format!("stored undo image is not valid: {e}"))
                    })?;
                    cols.push(r.get(0), before);
                }
                let c = &cols;
                restored += tx
                    .execute(
                        &restore,
                        &[
                            &c.id,
                            &c.current_stage,
                            &c.outcome,
                            &c.stage_dates,
                            &c.first_seen,
                            &c.created_at,
                            &c.closed_at,
                            &c.source,
                            &c.campaign,
                            &c.owner,
                            &c.segment,
                            &c.industry,
                            &c.country,
                            &c.company_size,
                            &c.amount,
                            &c.lost_reason,
                            &c.custom,
                            &c.personal,
                            &c.last_import_id,
                        ],
                    )
                    .await
                    .map_err(|e| pg_err("restoring a record", e))? as i64;
            }
            let deleted = tx
                .execute(
                    "DELETE FROM records WHERE first_import_id = $1 AND last_import_id = $1",
                    &[&id],
                )
                .await
                .map_err(|e| pg_err("deleting inserted records", e))? as i64;
            for (sql, context) in [
                ("DELETE FROM import_snapshots WHERE import_id = $1", "deleting snapshots"),
                ("DELETE FROM import_undo WHERE import_id = $1", "deleting undo images"),
                (
                    "DELETE FROM import_unmapped_stages WHERE import_id = $1",
                    "deleting unmapped stage values",
                ),
            ] {
                tx.execute(sql, &[&id])
                    .await
                    .map_err(|e| pg_err(context, e))?;
            }
            tx.execute(
                "UPDATE imports SET undone_at = $2 WHERE id = $1",
                &[&id, &now],
            )
            .await
            .map_err(|e| pg_err("marking the import undone", e))?;
            super::state::bump_data_version(tx).await?;
            Ok(UndoSummary {
                import_id: id,
                deleted,
                restored,
            })
        })
    }
}

/// Before-images as columns, bound as arrays (one statement per slice).
#[derive(Default)]
struct Restore {
    id: Vec<i64>,
    current_stage: Vec<Option<String>>,
    outcome: Vec<Option<String>>,
    stage_dates: Vec<String>,
    first_seen: Vec<String>,
    created_at: Vec<Option<i64>>,
    closed_at: Vec<Option<i64>>,
    source: Vec<Option<String>>,
    campaign: Vec<Option<String>>,
    owner: Vec<Option<String>>,
    segment: Vec<Option<String>>,
    industry: Vec<Option<String>>,
    country: Vec<Option<String>>,
    company_size: Vec<Option<i64>>,
    amount: Vec<Option<f64>>,
    lost_reason: Vec<Option<String>>,
    custom: Vec<String>,
    personal: Vec<Option<String>>,
    last_import_id: Vec<i64>,
}

impl Restore {
    fn push(&mut self, id: i64, c: RecordColumns) {
        self.id.push(id);
        self.current_stage.push(c.current_stage);
        self.outcome.push(c.outcome);
        self.stage_dates.push(c.stage_dates);
        self.first_seen.push(c.first_seen);
        self.created_at.push(c.created_at);
        self.closed_at.push(c.closed_at);
        self.source.push(c.source);
        self.campaign.push(c.campaign);
        self.owner.push(c.owner);
        self.segment.push(c.segment);
        self.industry.push(c.industry);
        self.country.push(c.country);
        self.company_size.push(c.company_size);
        self.amount.push(c.amount);
        self.lost_reason.push(c.lost_reason);
        self.custom.push(c.custom);
        self.personal.push(c.personal);
        self.last_import_id.push(c.last_import_id);
    }
}
