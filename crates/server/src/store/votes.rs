//! The conference's vote as stored: the session, the cards (by the hash of their code), the
//! phone ballots (a random id and the ticks, nothing else) and the clerks' paper entries.
//! Secrecy is kept by what is not here: no query joins a ballot to a card, and no ballot
//! carries a time.

use std::collections::{BTreeMap, BTreeSet};

use sqlx::Row;
use thidua_domain::award_types::AwardTypeId;
use thidua_domain::ballots::{Ballot, BallotSection, Count, ValidityRules};
use thidua_domain::vote::{CardCounts, VoteState};
use thidua_domain::{BlocId, UnitId, Year};

use super::values::{corrupt, to_u32};
use crate::db::{Conn, Engine};

/// A session as stored.
pub struct Session {
    pub state: VoteState,
    pub sections: Vec<BallotSection>,
    pub label: String,
    pub rules: ValidityRules,
    pub committee: String,
    pub voters_present: Option<u32>,
    pub result: Option<Count>,
}

fn json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> sqlx::Result<T> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{what} is not what it should be: {e}")))
}

fn text<T: serde::Serialize>(value: &T) -> String {
    // Our own types: serialising them cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

pub async fn session(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Option<Session>> {
    let row = sqlx::query(
        "SELECT state, ballot, ballot_label, rules, committee, voters_present, result
         FROM vote_sessions WHERE year = $1 AND bloc_id = $2",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_optional(conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let state: String = row.try_get("state")?;
    let voters: Option<i64> = row.try_get("voters_present")?;
    let result: Option<String> = row.try_get("result")?;
    Ok(Some(Session {
        state: VoteState::parse(&state).ok_or_else(|| corrupt(format!("vote state {state:?}")))?,
        sections: json(&row.try_get::<String, _>("ballot")?, "a vote's ballot")?,
        label: row.try_get("ballot_label")?,
        rules: json(&row.try_get::<String, _>("rules")?, "a vote's rules")?,
        committee: row.try_get("committee")?,
        voters_present: voters.map(|v| to_u32(v, "voters present")).transpose()?,
        result: result.map(|r| json(&r, "a vote's result")).transpose()?,
    }))
}

pub async fn create_session(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    sections: &[BallotSection],
    label: &str,
    rules: &ValidityRules,
    committee: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO vote_sessions (bloc_id, year, state, ballot, ballot_label, rules, committee)
         VALUES ($1, $2, 'open', $3, $4, $5, $6)",
    )
    .bind(bloc_id)
    .bind(year)
    .bind(text(&sections))
    .bind(label)
    .bind(text(rules))
    .bind(committee)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn add_cards(conn: &mut Conn, year: Year, bloc_id: BlocId, hashes: &[String]) -> sqlx::Result<()> {
    for hash in hashes {
        sqlx::query("INSERT INTO vote_cards (code_hash, bloc_id, year, state) VALUES ($1, $2, $3, 'unused')")
            .bind(hash)
            .bind(bloc_id)
            .bind(year)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn card_counts(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<CardCounts> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT state, COUNT(*) FROM vote_cards WHERE year = $1 AND bloc_id = $2 GROUP BY state ORDER BY state",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await?;
    let mut counts = CardCounts::default();
    for (state, n) in rows {
        let n = to_u32(n, "cards")?;
        counts.issued += n;
        match state.as_str() {
            "used" => counts.cast = n,
            "voided" => counts.voided = n,
            _ => {}
        }
    }
    Ok(counts)
}

/// A card as the delegate's request finds it.
pub struct Card {
    pub year: Year,
    pub bloc_id: BlocId,
    pub state: String,
    pub receipt: Option<String>,
}

pub async fn card(conn: &mut Conn, hash: &str) -> sqlx::Result<Option<Card>> {
    let row: Option<(i32, BlocId, String, Option<String>)> =
        sqlx::query_as("SELECT year, bloc_id, state, receipt FROM vote_cards WHERE code_hash = $1")
            .bind(hash)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(year, bloc_id, state, receipt)| Card { year, bloc_id, state, receipt }))
}

/// Marks an unused card used with its receipt; false when it was not unused any more.
pub async fn use_card(conn: &mut Conn, hash: &str, receipt: &str) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE vote_cards SET state = 'used', receipt = $1 WHERE code_hash = $2 AND state = 'unused'")
            .bind(receipt)
            .bind(hash)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn receipt_taken(conn: &mut Conn, receipt: &str) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM vote_cards WHERE receipt = $1").bind(receipt).fetch_one(conn).await?;
    Ok(n > 0)
}

/// Voids an unused card of this session; false when there is no such unused card.
pub async fn void_card(conn: &mut Conn, year: Year, bloc_id: BlocId, hash: &str) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE vote_cards SET state = 'voided' WHERE code_hash = $1 AND year = $2 AND bloc_id = $3 AND state = 'unused'",
    )
    .bind(hash)
    .bind(year)
    .bind(bloc_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a phone ballot under a random id: its ticks and nothing else.
pub async fn insert_ballot(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    id: &str,
    ballot: &Ballot,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO vote_ballots (id, bloc_id, year, ticks) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(bloc_id)
        .bind(year)
        .bind(text(&ballot.ticks))
        .execute(conn)
        .await?;
    Ok(())
}

/// The phone ballots, in the order of their random ids.
pub async fn ballots(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<Ballot>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT ticks FROM vote_ballots WHERE year = $1 AND bloc_id = $2 ORDER BY id")
            .bind(year)
            .bind(bloc_id)
            .fetch_all(conn)
            .await?;
    rows.into_iter().map(|(ticks,)| Ok(Ballot { set_aside: None, ticks: json(&ticks, "a phone ballot")? })).collect()
}

pub async fn paper(conn: &mut Conn, year: Year, bloc_id: BlocId, clerk: u8) -> sqlx::Result<Vec<Ballot>> {
    let rows: Vec<(Option<String>, String)> = sqlx::query_as(
        "SELECT set_aside, ticks FROM vote_paper WHERE year = $1 AND bloc_id = $2 AND clerk = $3 ORDER BY position",
    )
    .bind(year)
    .bind(bloc_id)
    .bind(i64::from(clerk))
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(set_aside, ticks)| {
            let ticks: BTreeMap<AwardTypeId, BTreeSet<UnitId>> = json(&ticks, "a paper ballot")?;
            Ok(Ballot { set_aside, ticks })
        })
        .collect()
}

pub async fn replace_paper(
    conn: &mut Conn,
    year: Year,
    bloc_id: BlocId,
    clerk: u8,
    ballots: &[Ballot],
) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM vote_paper WHERE year = $1 AND bloc_id = $2 AND clerk = $3")
        .bind(year)
        .bind(bloc_id)
        .bind(i64::from(clerk))
        .execute(&mut *conn)
        .await?;
    for (position, ballot) in ballots.iter().enumerate() {
        sqlx::query(
            "INSERT INTO vote_paper (bloc_id, year, clerk, position, set_aside, ticks) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(bloc_id)
        .bind(year)
        .bind(i64::from(clerk))
        .bind(position as i64)
        .bind(ballot.set_aside.as_deref())
        .bind(text(&ballot.ticks))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The receipts handed out, sorted: nothing about when or with which card.
pub async fn receipts(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT receipt FROM vote_cards WHERE year = $1 AND bloc_id = $2 AND receipt IS NOT NULL ORDER BY receipt",
    )
    .bind(year)
    .bind(bloc_id)
    .fetch_all(conn)
    .await
}

/// The cards of a session as stored: (code hash, state, receipt).
pub type CardRow = (String, String, Option<String>);

pub async fn cards(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<Vec<CardRow>> {
    sqlx::query_as("SELECT code_hash, state, receipt FROM vote_cards WHERE year = $1 AND bloc_id = $2")
        .bind(year)
        .bind(bloc_id)
        .fetch_all(conn)
        .await
}

/// Closes the session with its result, and writes the phone ballots and the cards again,
/// both `shuffled` (the ballots under new random ids), in this one transaction: afterwards
/// neither their ids, their order on disk nor (on PostgreSQL) their transaction ids follow the
/// order they came in. Cards still unused are voided: nobody can vote with them any more.
#[allow(clippy::too_many_arguments)]
pub async fn close(
    conn: &mut Conn,
    engine: Engine,
    year: Year,
    bloc_id: BlocId,
    voters_present: u32,
    result: &Count,
    shuffled: &[(String, Ballot)],
    shuffled_cards: &[CardRow],
) -> sqlx::Result<()> {
    if engine == Engine::Sqlite {
        // The freed cells of the rows deleted below are overwritten with zeros.
        sqlx::query("PRAGMA secure_delete = ON").execute(&mut *conn).await?;
    }
    for table in ["vote_ballots", "vote_cards"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE year = $1 AND bloc_id = $2"))
            .bind(year)
            .bind(bloc_id)
            .execute(&mut *conn)
            .await?;
    }
    for (id, ballot) in shuffled {
        insert_ballot(conn, year, bloc_id, id, ballot).await?;
    }
    for (hash, state, receipt) in shuffled_cards {
        let state = if state == "unused" { "voided" } else { state.as_str() };
        sqlx::query("INSERT INTO vote_cards (code_hash, bloc_id, year, state, receipt) VALUES ($1, $2, $3, $4, $5)")
            .bind(hash)
            .bind(bloc_id)
            .bind(year)
            .bind(state)
            .bind(receipt.as_deref())
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "UPDATE vote_sessions SET state = 'closed', voters_present = $1, result = $2 WHERE year = $3 AND bloc_id = $4",
    )
    .bind(i64::from(voters_present))
    .bind(text(result))
    .bind(year)
    .bind(bloc_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes back an open vote: its cards, phone ballots, clerks' entries and the session.
pub async fn delete_session(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<()> {
    for table in ["vote_ballots", "vote_cards", "vote_paper", "vote_clerks", "vote_sessions"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE year = $1 AND bloc_id = $2"))
            .bind(year)
            .bind(bloc_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Which user entered `clerk`'s copy, if anyone has.
pub async fn clerk_user(conn: &mut Conn, year: Year, bloc_id: BlocId, clerk: u8) -> sqlx::Result<Option<i64>> {
    sqlx::query_scalar("SELECT user_id FROM vote_clerks WHERE year = $1 AND bloc_id = $2 AND clerk = $3")
        .bind(year)
        .bind(bloc_id)
        .bind(i64::from(clerk))
        .fetch_optional(conn)
        .await
}

pub async fn set_clerk_user(conn: &mut Conn, year: Year, bloc_id: BlocId, clerk: u8, user: i64) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO vote_clerks (bloc_id, year, clerk, user_id) VALUES ($1, $2, $3, $4)")
        .bind(bloc_id)
        .bind(year)
        .bind(i64::from(clerk))
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

/// After a close has committed, on PostgreSQL: the dead row versions the rewrite left (which
/// still carry the arrival order) are dropped with the old table files.
pub async fn compact(db: &crate::db::Db) -> sqlx::Result<()> {
    if Engine::of(db) == Engine::Postgres {
        sqlx::query("VACUUM FULL vote_ballots").execute(db).await?;
        sqlx::query("VACUUM FULL vote_cards").execute(db).await?;
    } else {
        // The write-ahead log held each cast's page: fold it into the file and empty it. A
        // reader in the way makes it answer "busy" (a row, not an error): try again shortly.
        for _ in 0..20 {
            let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(db).await?;
            if busy == 0 {
                return Ok(());
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tracing::warn!("after closing a vote: the write-ahead log stayed busy and was not emptied");
    }
    Ok(())
}

pub async fn open_session_exists(conn: &mut Conn, year: Year, bloc_id: BlocId) -> sqlx::Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM vote_sessions WHERE year = $1 AND bloc_id = $2 AND state = 'open'")
            .bind(year)
            .bind(bloc_id)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}
