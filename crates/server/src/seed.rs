//! The demo data: the 2018 Culture–Society bloc of Bắc Ninh province, and 2019 as a year
//! being scored, with one demo account per role.
//!
//! Real: the bloc, its seven members, the pact's plan and conference, the award types and the
//! five proposals. Illustrative (so `sample_data` is set): the leader and deputy, every score,
//! bonus and deduction, and the vote tally. The sample scores are chosen so that the verified
//! ranking follows the real proposals, and so that two units tie on the total and section I
//! decides; the tally so that the award rules derive exactly the real proposals. The 2018
//! sheets are approved, its results published and the year closed for scoring; 2019 is open,
//! its sheets empty drafts, with no tally, unpublished.

use sqlx::{Any, Transaction};
use thidua_domain::auth::Role;
use thidua_domain::award_types::AwardTypeInput;
use thidua_domain::award_types::{Eligibility, VoteThreshold, VoteTieRule};
use thidua_domain::publication::PublicationNote;
use thidua_domain::ranking::TieBreak;
use thidua_domain::revisions::RevisionKind;
use thidua_domain::tally::{Tally, TallyEntry, TallyMethod};
use thidua_domain::workflow::SheetState;

use crate::accounts::{hash_password, PasswordError};
use crate::clock::now;
use crate::db::Db;
use crate::store::accounts::{create_user, CreateUserError, NewUser};
use crate::store::{admin, awards, tie_break_to_db};

/// The year with published results.
pub const YEAR: i32 = 2018;
/// The year in progress: same bloc, members, leader, criteria and award types; sheets in draft.
pub const YEAR_IN_PROGRESS: i32 = 2019;
pub const BLOC_NAME: &str = "Khối các sở, ban, ngành tham mưu và quản lý Nhà nước về văn hóa, xã hội";

/// The members, in the bloc's order.
pub const UNITS: [&str; 7] = [
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Lao động - Thương binh và Xã hội",
    "Đài Phát thanh và Truyền hình tỉnh",
    "Bảo hiểm xã hội tỉnh",
    "Trung tâm Hành chính công tỉnh",
];
const GD: usize = 0;
const YT: usize = 1;
const VH: usize = 2;
const LD: usize = 3;
const PT: usize = 4;
const BH: usize = 5;
const HC: usize = 6;

const LEADER: usize = LD;
const DEPUTY: usize = YT;

const PACT_NOTE: &str = "Thực hiện Kế hoạch số 03/KH-HĐTĐKT ngày 25/01/2018 của Hội đồng Thi đua - Khen thưởng tỉnh; \
hội nghị tổng kết ngày 30/11/2018 tại Phòng họp Sở Lao động - Thương binh và Xã hội.";

// Points below are hundredths: 2000 is 20 points, 950 is 9.5.
const STEP: i64 = 50;
const BONUS_CAP: i64 = 500;

struct Node {
    code: &'static str,
    title: &'static str,
    max: i64,
    children: &'static [Node],
}

const fn leaf(code: &'static str, title: &'static str, max: i64) -> Node {
    Node { code, title, max, children: &[] }
}

/// Out of 100. The leaves, in order, are the columns of `SCORES`.
const CRITERIA: &[Node] = &[
    Node {
        code: "I",
        title: "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
        max: 5000,
        children: &[
            leaf("1.1", "Kết quả thực hiện các chỉ tiêu, nhiệm vụ chuyên môn chủ yếu", 2000),
            leaf("1.2", "Tham mưu ban hành cơ chế, chính sách thuộc lĩnh vực quản lý", 1000),
            leaf("1.3", "Thực hiện các nhiệm vụ trọng tâm, đột xuất được giao", 1000),
            leaf("1.4", "Phối hợp với các đơn vị trong Khối", 1000),
        ],
    },
    Node {
        code: "II",
        title: "Cải cách hành chính, chuyển đổi số",
        max: 1500,
        children: &[
            leaf("2.1", "Cải cách hành chính", 800),
            leaf("2.2", "Ứng dụng công nghệ thông tin, chuyển đổi số", 700),
        ],
    },
    leaf("III", "Thực hiện chủ trương, chính sách của Đảng, pháp luật của Nhà nước", 1000),
    leaf("IV", "Xây dựng tổ chức Đảng, đoàn thể; cơ quan văn hóa; quốc phòng, an ninh", 1000),
    Node {
        code: "V",
        title: "Công tác thi đua, khen thưởng; chế độ thông tin, báo cáo",
        max: 1500,
        children: &[leaf("5.1", "Tổ chức các phong trào thi đua", 1000), leaf("5.2", "Chế độ thông tin, báo cáo", 500)],
    },
];

/// Per unit: (verified, self) per leaf, columns 1.1 1.2 1.3 1.4 | 2.1 2.2 | III | IV | 5.1 5.2.
/// Verified totals, with the adjustments below:
/// Y tế 92.5 + 5 (6 claimed, capped) = 97.5; Giáo dục 93 + 2 = 95; Lao động 90.5 + 3 = 93.5;
/// Văn hóa 91 and Bảo hiểm 91.5 − 0.5 = 91 (tied: section I 45.5 against 44.5);
/// Phát thanh 89.5 − 0.5 = 89; Hành chính công 87 − 0.5 = 86.5.
const SCORES: [(usize, [i64; 10], [i64; 10]); 7] = [
    (GD, [1950, 900, 950, 900, 700, 650, 950, 900, 900, 500], [2000, 950, 950, 900, 750, 650, 950, 950, 950, 500]),
    (YT, [1900, 950, 950, 850, 750, 650, 900, 950, 900, 450], [1950, 950, 1000, 900, 750, 700, 950, 950, 950, 500]),
    (VH, [1850, 900, 900, 900, 650, 600, 900, 950, 950, 500], [1900, 950, 900, 950, 700, 600, 950, 950, 950, 500]),
    (LD, [1850, 900, 900, 950, 700, 600, 900, 900, 900, 450], [1900, 950, 900, 950, 750, 650, 950, 900, 950, 500]),
    (PT, [1750, 850, 900, 900, 650, 600, 900, 950, 1000, 450], [1800, 900, 900, 950, 700, 650, 950, 950, 1000, 500]),
    (BH, [1800, 850, 900, 900, 700, 650, 1000, 950, 900, 500], [1850, 900, 950, 900, 750, 650, 1000, 950, 950, 500]),
    (HC, [1700, 800, 850, 900, 750, 650, 900, 850, 850, 450], [1800, 850, 900, 900, 800, 700, 950, 900, 900, 500]),
];

const BONUS: &str = "bonus";
const DEDUCTION: &str = "deduction";
const LATE_REPORT: &str = "Gửi báo cáo chậm hạn";

const ADJUSTMENTS: &[(usize, &str, &str, i64)] = &[
    (YT, BONUS, "Được tặng Cờ thi đua của Bộ", 300),
    (YT, BONUS, "Sáng kiến được công nhận cấp tỉnh", 200),
    (YT, BONUS, "Mô hình mới được nhân rộng trong tỉnh", 100),
    (GD, BONUS, "Sáng kiến được công nhận cấp tỉnh", 200),
    (LD, BONUS, "Được tặng Cờ thi đua của Bộ", 300),
    (BH, DEDUCTION, LATE_REPORT, 50),
    (PT, DEDUCTION, LATE_REPORT, 50),
    (HC, DEDUCTION, LATE_REPORT, 50),
];

const LEGAL_BASIS: &str = "Luật Thi đua, Khen thưởng năm 2003 (sửa đổi, bổ sung năm 2013); \
Nghị định số 91/2017/NĐ-CP ngày 31/7/2017 của Chính phủ";

/// (code, name, precedence, quota per bloc, eligibility) of the 2018 rules: at most one
/// Government flag per bloc, only for the leading unit with an approved sheet; two provincial
/// flags, for units with an approved sheet; two certificates of merit. Every award needs more
/// than half of the votes cast, and a unit receives at most one of them.
const AWARD_TYPES: [(&str, &str, u32, u32, &[Eligibility]); 3] = [
    ("co_chinh_phu", "Cờ thi đua của Chính phủ", 1, 1, &[Eligibility::MaxRank { rank: 1 }, Eligibility::ApprovedSheet]),
    ("co_ubnd_tinh", "Cờ thi đua của UBND tỉnh", 2, 2, &[Eligibility::ApprovedSheet]),
    ("bang_khen_chu_tich_ubnd_tinh", "Bằng khen của Chủ tịch UBND tỉnh", 3, 2, &[]),
];

/// How many members' delegates voted at the 2018 conference (illustrative).
const VOTERS_PRESENT: u32 = 14;

/// An illustrative 2018 tally (unit, award code, votes) from which the rules derive exactly
/// the bloc's real proposals: Y tế for the Government flag (its 12 votes for the provincial
/// flag give way to the higher award); Giáo dục and Lao động for the provincial flag (Văn hóa's
/// 5 are short of half); Văn hóa and Bảo hiểm for the certificate of merit (Phát thanh's 7 of
/// 14 are exactly half, not more than half).
const TALLY: [(usize, &str, u32); 8] = [
    (YT, "co_chinh_phu", 13),
    (YT, "co_ubnd_tinh", 12),
    (GD, "co_ubnd_tinh", 11),
    (LD, "co_ubnd_tinh", 10),
    (VH, "co_ubnd_tinh", 5),
    (VH, "bang_khen_chu_tich_ubnd_tinh", 12),
    (BH, "bang_khen_chu_tich_ubnd_tinh", 11),
    (PT, "bang_khen_chu_tich_ubnd_tinh", 7),
];

/// The password of every demo account. Demo only: a real installation has no accounts until
/// staff create them with `thidua-server create-user`.
pub const DEMO_PASSWORD: &str = "thidua-demo";

pub struct DemoAccount {
    pub username: &'static str,
    pub display_name: &'static str,
    pub role: Role,
    /// Index into `UNITS`; `None` for staff.
    pub unit: Option<usize>,
}

/// One account per role; `ldtbxh` is the officer of the bloc's leader unit.
pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount {
        username: "staff", display_name: "Ban Thi đua – Khen thưởng tỉnh", role: Role::Staff, unit: None
    },
    DemoAccount {
        username: "yte", display_name: "Cán bộ thi đua Sở Y tế", role: Role::UnitOfficer, unit: Some(YT)
    },
    DemoAccount {
        username: "gddt",
        display_name: "Cán bộ thi đua Sở Giáo dục và Đào tạo",
        role: Role::UnitOfficer,
        unit: Some(GD),
    },
    DemoAccount {
        username: "ldtbxh",
        display_name: "Cán bộ thi đua Sở Lao động - Thương binh và Xã hội",
        role: Role::LeaderOfficer,
        unit: Some(LD),
    },
];

/// The lines the server prints after "listening on" when it runs with the demo data.
pub fn demo_accounts_text() -> String {
    let mut text = format!("demo accounts (password \"{DEMO_PASSWORD}\"):\n");
    for a in &DEMO_ACCOUNTS {
        let unit = a.unit.map_or(a.display_name, |u| UNITS[u]);
        text.push_str(&format!("  {:<8} {:<15} {unit}\n", a.username, a.role.as_str()));
    }
    text
}

/// Whether the demo accounts are in the database (they are not when `--demo` met a database
/// that already held other data).
pub async fn has_demo_accounts(db: &Db) -> sqlx::Result<bool> {
    let mut found = 0;
    for a in &DEMO_ACCOUNTS {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = $1").bind(a.username).fetch_one(db).await?;
        found += n;
    }
    Ok(found == DEMO_ACCOUNTS.len() as i64)
}

/// Whether the database holds any year, unit or bloc.
async fn has_data<'c>(conn: impl sqlx::Executor<'c, Database = sqlx::Any>) -> sqlx::Result<bool> {
    let existing: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM years) + (SELECT COUNT(*) FROM units) + (SELECT COUNT(*) FROM blocs)",
    )
    .fetch_one(conn)
    .await?;
    Ok(existing > 0)
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Password(#[from] PasswordError),
    #[error(transparent)]
    Account(#[from] CreateUserError),
}

/// Loads the demo data if the database holds no years, units or blocs yet; returns whether
/// it did. All or nothing: one transaction.
pub async fn load_demo(db: &Db) -> Result<bool, SeedError> {
    // Most starts find data: they learn it from a read, without hashing the demo passwords or
    // taking the write lock (a second server starting beside a busy one on the same SQLite file
    // once waited out the busy timeout here and did not start).
    if has_data(db).await? {
        return Ok(false);
    }
    let mut hashes = Vec::with_capacity(DEMO_ACCOUNTS.len());
    for _ in &DEMO_ACCOUNTS {
        // A salt of its own for each, like any account.
        hashes.push(hash_password(DEMO_PASSWORD.to_owned()).await?);
    }
    // A write transaction: two servers starting at once on an empty database load it once.
    let mut tx = crate::db::begin_write(db).await?;
    if has_data(&mut *tx).await? {
        return Ok(false);
    }
    let units = insert_demo(&mut tx).await?;
    for (account, hash) in DEMO_ACCOUNTS.iter().zip(&hashes) {
        let user = NewUser {
            username: account.username,
            display_name: account.display_name,
            password_hash: hash,
            role: account.role,
            unit_id: account.unit.map(|u| units[u]),
        };
        create_user(&mut tx, &user).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Inserts both years; returns the units' ids in the order of `UNITS`.
async fn insert_demo(tx: &mut Transaction<'_, Any>) -> sqlx::Result<Vec<i64>> {
    // 2018 is over: closed for scoring. 2019 is being scored.
    for (year, open) in [(YEAR, false), (YEAR_IN_PROGRESS, true)] {
        sqlx::query("INSERT INTO years (year, tie_break, open) VALUES ($1, $2, $3)")
            .bind(year)
            .bind(tie_break_to_db(TieBreak::SectionOrder))
            .bind(open)
            .execute(&mut **tx)
            .await?;
    }

    // Ids come back through `RETURNING`, which SQLite and PostgreSQL both have. Every unit
    // carries its name from the first demo year on, as staff would add it.
    let mut units: Vec<i64> = Vec::with_capacity(UNITS.len());
    for name in UNITS {
        units.push(admin::units::insert_unit(tx, name, YEAR).await?);
    }

    let bloc: i64 = sqlx::query_scalar("INSERT INTO blocs (name) VALUES ($1) RETURNING id")
        .bind(BLOC_NAME)
        .fetch_one(&mut **tx)
        .await?;
    // 2019 has no pact recorded yet; everything else about the bloc carries over.
    for (year, pact_note) in [(YEAR, PACT_NOTE), (YEAR_IN_PROGRESS, "")] {
        sqlx::query(
            "INSERT INTO bloc_years (bloc_id, year, leader_unit_id, deputy_unit_id, pact_signed_on, pact_note,
                                     pact_document_url, bonus_cap, sample_data)
             VALUES ($1, $2, $3, $4, NULL, $5, NULL, $6, TRUE)",
        )
        .bind(bloc)
        .bind(year)
        .bind(units[LEADER])
        .bind(units[DEPUTY])
        .bind(pact_note)
        .bind(BONUS_CAP)
        .execute(&mut **tx)
        .await?;
        for (position, unit) in units.iter().enumerate() {
            sqlx::query("INSERT INTO memberships (bloc_id, year, unit_id, position) VALUES ($1, $2, $3, $4)")
                .bind(bloc)
                .bind(year)
                .bind(unit)
                .bind(position as i64)
                .execute(&mut **tx)
                .await?;
        }
    }

    // The 2019 table is a copy of 2018's, as staff would start a year: new rows, new ids.
    let leaves = insert_criteria(tx, bloc, YEAR).await?;
    insert_criteria(tx, bloc, YEAR_IN_PROGRESS).await?;

    // 2019: one empty draft per member, waiting for its unit.
    for unit in &units {
        sqlx::query("INSERT INTO score_sheets (bloc_id, year, unit_id, state) VALUES ($1, $2, $3, $4)")
            .bind(bloc)
            .bind(YEAR_IN_PROGRESS)
            .bind(unit)
            .bind(SheetState::Draft.as_str())
            .execute(&mut **tx)
            .await?;
    }

    // 2018: approved, so its verified scores are the published ranking.
    let mut sheets = [0i64; UNITS.len()];
    for (unit, verified, self_assessed) in SCORES {
        let sheet: i64 = sqlx::query_scalar(
            "INSERT INTO score_sheets (bloc_id, year, unit_id, state) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(bloc)
        .bind(YEAR)
        .bind(units[unit])
        .bind(SheetState::Approved.as_str())
        .fetch_one(&mut **tx)
        .await?;
        sheets[unit] = sheet;
        for ((criterion, verified), self_score) in leaves.iter().zip(verified).zip(self_assessed) {
            sqlx::query(
                "INSERT INTO criterion_scores (sheet_id, criterion_id, self_score, verified_score, note, comment)
                 VALUES ($1, $2, $3, $4, '', '')",
            )
            .bind(sheet)
            .bind(criterion)
            .bind(self_score)
            .bind(verified)
            .execute(&mut **tx)
            .await?;
        }
    }
    for (position, &(unit, kind, reason, points)) in ADJUSTMENTS.iter().enumerate() {
        sqlx::query("INSERT INTO adjustments (sheet_id, kind, reason, points, position) VALUES ($1, $2, $3, $4, $5)")
            .bind(sheets[unit])
            .bind(kind)
            .bind(reason)
            .bind(points)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
    }

    let award_ids = insert_award_types(tx, YEAR).await?;
    // The award rules carry over to 2019; its conference has not voted yet.
    insert_award_types(tx, YEAR_IN_PROGRESS).await?;
    let award_id = |code: &str| award_ids.iter().find(|(c, _)| *c == code).map_or(0, |&(_, id)| id);
    let tally = Tally {
        voters_present: VOTERS_PRESENT,
        votes: TALLY
            .iter()
            .map(|&(unit, code, votes)| TallyEntry { unit_id: units[unit], award_type_id: award_id(code), votes })
            .collect(),
        ..Tally::default()
    };
    awards::replace_tally(tx, YEAR, bloc, &tally, TallyMethod::Entered).await?;
    // 2018's results are out; 2019's are not.
    // Every sheet approved, no tie, no override: nothing to acknowledge, no reason to give.
    awards::set_published(tx, YEAR, bloc, Some((now(), &PublicationNote::default()))).await?;
    // Stored as revision 1, recorded by the system (no one signed in published it).
    crate::revisions::store_results(tx, YEAR, bloc, RevisionKind::Published, None, "").await.map_err(|e| match e {
        crate::store::LookupError::Database(e) => e,
        other => sqlx::Error::Protocol(other.to_string()),
    })?;
    Ok(units)
}

/// The award types of `year` with the 2018 rules, by code.
async fn insert_award_types(tx: &mut Transaction<'_, Any>, year: i32) -> sqlx::Result<Vec<(&'static str, i64)>> {
    let mut award_ids = Vec::with_capacity(AWARD_TYPES.len());
    for (code, name, precedence, quota, eligibility) in AWARD_TYPES {
        let input = AwardTypeInput {
            code: code.to_owned(),
            name: name.to_owned(),
            precedence,
            quota_per_bloc: quota,
            threshold: VoteThreshold::MORE_THAN_HALF,
            eligibility: eligibility.to_vec(),
            exclusive: true,
            // A tie in votes is for the conference to settle (DOMAIN.md: staff record it).
            vote_tie: VoteTieRule::ConferenceDecides,
            legal_basis: LEGAL_BASIS.to_owned(),
        };
        award_ids.push((code, awards::insert_award_type(tx, year, &input).await?));
    }
    Ok(award_ids)
}

/// The criteria tree for `year`, parents before children; returns the leaves' ids in order
/// (the columns of `SCORES`).
async fn insert_criteria(tx: &mut Transaction<'_, Any>, bloc: i64, year: i32) -> sqlx::Result<Vec<i64>> {
    let mut leaves = Vec::new();
    for (position, section) in CRITERIA.iter().enumerate() {
        let id = insert_criterion(tx, bloc, year, None, section, position).await?;
        if section.children.is_empty() {
            leaves.push(id);
        }
        for (position, item) in section.children.iter().enumerate() {
            leaves.push(insert_criterion(tx, bloc, year, Some(id), item, position).await?);
        }
    }
    Ok(leaves)
}

async fn insert_criterion(
    tx: &mut Transaction<'_, Any>,
    bloc: i64,
    year: i32,
    parent: Option<i64>,
    node: &Node,
    position: usize,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO criteria (bloc_id, year, parent_id, code, title, max_points, step, position)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(bloc)
    .bind(year)
    .bind(parent)
    .bind(node.code)
    .bind(node.title)
    .bind(node.max)
    .bind(STEP)
    .bind(position as i64)
    .fetch_one(&mut **tx)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The data agrees with itself before it reaches a database.
    #[test]
    fn scores_fit_the_criteria() {
        let leaves: Vec<i64> = CRITERIA
            .iter()
            .flat_map(|s| if s.children.is_empty() { vec![s.max] } else { s.children.iter().map(|c| c.max).collect() })
            .collect();
        assert_eq!(leaves.len(), 10);
        assert_eq!(CRITERIA.iter().map(|s| s.max).sum::<i64>(), 10_000, "out of 100 points");
        for s in CRITERIA.iter().filter(|s| !s.children.is_empty()) {
            assert_eq!(s.children.iter().map(|c| c.max).sum::<i64>(), s.max, "section {}", s.code);
        }
        for (unit, verified, self_assessed) in SCORES {
            for ((v, s), max) in verified.iter().zip(self_assessed).zip(&leaves) {
                assert!(*v >= 0 && v <= max && v % STEP == 0, "{}: verified {v} of {max}", UNITS[unit]);
                assert!(s >= 0 && s <= *max && s % STEP == 0, "{}: self {s} of {max}", UNITS[unit]);
                assert!(*v <= s, "{}: verified above self", UNITS[unit]);
            }
        }
        let mut units: Vec<usize> = SCORES.iter().map(|s| s.0).collect();
        units.sort_unstable();
        assert_eq!(units, (0..UNITS.len()).collect::<Vec<_>>(), "one sheet per member");
    }

    #[test]
    fn demo_accounts_fit_their_roles() {
        for a in &DEMO_ACCOUNTS {
            assert!(thidua_domain::auth::valid_username(a.username), "{}", a.username);
            assert_eq!(a.role.needs_unit(), a.unit.is_some(), "{}", a.username);
        }
        assert!(thidua_domain::auth::valid_new_password(DEMO_PASSWORD));
        assert_eq!(DEMO_ACCOUNTS.iter().find(|a| a.role == Role::LeaderOfficer).and_then(|a| a.unit), Some(LEADER));
        let text = demo_accounts_text();
        assert!(text.contains("thidua-demo") && text.contains("ldtbxh") && text.contains("Sở Y tế"), "{text}");
    }

    #[test]
    fn names_are_nfc() {
        // Precomposed letters only: "ệ" is one code point here, never "e" + two combining marks.
        let accounts = DEMO_ACCOUNTS.iter().map(|a| &a.display_name);
        for name in UNITS.iter().chain([&BLOC_NAME, &PACT_NOTE]).chain(accounts) {
            assert!(!name.chars().any(|c| ('\u{300}'..='\u{36f}').contains(&c)), "{name} has combining marks");
        }
    }
}
