//! Migration 0003 on a database that was in use before it: the stored proposals go, their
//! decisions stay, and the bloc-years that had proposals count as published.

use std::str::FromStr;

use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection, SqliteConnection};

#[tokio::test]
async fn awards_migration_keeps_decisions_and_publishes_what_had_proposals() {
    let mut conn: SqliteConnection =
        SqliteConnectOptions::from_str("sqlite::memory:").unwrap().foreign_keys(true).connect().await.unwrap();
    for sql in
        [include_str!("../migrations/0001_initial.sql"), include_str!("../migrations/0002_accounts_and_sheets.sql")]
    {
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    }
    sqlx::raw_sql(
        "INSERT INTO years (year) VALUES (2017), (2018);
         INSERT INTO units (id, name) VALUES (1, 'Sở Y tế'), (2, 'Sở Giáo dục và Đào tạo');
         INSERT INTO blocs (id, name) VALUES (1, 'Khối văn hóa, xã hội');
         INSERT INTO bloc_years (bloc_id, year) VALUES (1, 2017), (1, 2018);
         INSERT INTO memberships (bloc_id, year, unit_id, position) VALUES (1, 2017, 1, 0), (1, 2017, 2, 1),
                                                                          (1, 2018, 1, 0), (1, 2018, 2, 1);
         INSERT INTO award_types (id, year, code, name, precedence, quota_per_bloc)
             VALUES (1, 2017, 'co_chinh_phu', 'Cờ thi đua của Chính phủ', 1, 1);
         INSERT INTO proposals (bloc_id, year, unit_id, award_type_id, decision_number, decision_date, decision_issuer)
             VALUES (1, 2017, 1, 1, '12/QĐ-TTg', '2018-03-01', 'Thủ tướng Chính phủ'),
                    (1, 2017, 2, 1, NULL, NULL, NULL);",
    )
    .execute(&mut conn)
    .await
    .unwrap();

    sqlx::raw_sql(include_str!("../migrations/0003_awards.sql")).execute(&mut conn).await.unwrap();

    let decisions: Vec<(i64, String, String, String)> =
        sqlx::query_as("SELECT unit_id, number, date, issuer FROM award_decisions").fetch_all(&mut conn).await.unwrap();
    assert_eq!(decisions, [(1, "12/QĐ-TTg".into(), "2018-03-01".into(), "Thủ tướng Chính phủ".into())]);
    let published: Vec<(i32, Option<String>, i64)> =
        sqlx::query_as("SELECT year, published_at, awards_version FROM bloc_years ORDER BY year")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert!(published[0].1.as_deref().is_some_and(|t| t.len() == 20 && t.ends_with('Z')), "{published:?}");
    assert_eq!((published[1].1.as_deref(), published[0].2, published[1].2), (None, 0, 0));
    let rules: (i64, i64, bool, bool, String) = sqlx::query_as(
        "SELECT threshold_numerator, threshold_denominator, threshold_strict, exclusive, eligibility FROM award_types",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(rules, (1, 2, true, true, "[]".into()), "more than half of the votes, exclusive, no conditions");
    let gone: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'proposals'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(gone, 0);
    // The new constraints hold: votes for a non-member, for another year's award, are refused.
    let refused = sqlx::raw_sql(
        "INSERT INTO tallies (bloc_id, year, voters_present) VALUES (1, 2018, 5);
         INSERT INTO tally_votes (bloc_id, year, unit_id, award_type_id, votes) VALUES (1, 2018, 99, 1, 3);",
    )
    .execute(&mut conn)
    .await;
    assert!(refused.is_err());
    conn.close().await.unwrap();
}

/// Migration 0004 on a database in use: every unit keeps its name from its first year in a
/// bloc (2000 when it is in none), years are open, versions start at 0.
#[tokio::test]
async fn admin_migration_dates_the_names_from_each_units_first_year() {
    let mut conn: SqliteConnection =
        SqliteConnectOptions::from_str("sqlite::memory:").unwrap().foreign_keys(true).connect().await.unwrap();
    for sql in [
        include_str!("../migrations/0001_initial.sql"),
        include_str!("../migrations/0002_accounts_and_sheets.sql"),
        include_str!("../migrations/0003_awards.sql"),
    ] {
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    }
    sqlx::raw_sql(
        "INSERT INTO years (year) VALUES (2017), (2018);
         INSERT INTO units (id, name) VALUES (1, 'Sở Y tế'), (2, 'Sở Giáo dục và Đào tạo'), (3, 'Sở Nội vụ');
         INSERT INTO blocs (id, name) VALUES (1, 'Khối văn hóa, xã hội');
         INSERT INTO bloc_years (bloc_id, year) VALUES (1, 2017), (1, 2018);
         INSERT INTO memberships (bloc_id, year, unit_id, position) VALUES (1, 2017, 1, 0), (1, 2018, 1, 0),
                                                                          (1, 2018, 2, 1);
         INSERT INTO users (username, display_name, password_hash, role, created_at)
             VALUES ('staff', 'Ban TĐKT', 'x', 'staff', '2018-01-01T00:00:00Z');",
    )
    .execute(&mut conn)
    .await
    .unwrap();

    sqlx::raw_sql(include_str!("../migrations/0004_admin.sql")).execute(&mut conn).await.unwrap();

    let names: Vec<(i64, i32, String)> =
        sqlx::query_as("SELECT unit_id, from_year, name FROM unit_names ORDER BY unit_id")
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(
        names,
        [(1, 2017, "Sở Y tế".into()), (2, 2018, "Sở Giáo dục và Đào tạo".into()), (3, 2000, "Sở Nội vụ".into())]
    );
    let open: Vec<bool> =
        sqlx::query_scalar("SELECT open FROM years ORDER BY year").fetch_all(&mut conn).await.unwrap();
    assert_eq!(open, [true, true]);
    let versions: (i64, i64) = sqlx::query_as(
        "SELECT (SELECT MAX(setup_version) FROM bloc_years), (SELECT version FROM users WHERE username = 'staff')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(versions, (0, 0));
    // A unit cannot be merged into itself.
    let refused = sqlx::query("INSERT INTO unit_ends (unit_id, from_year, merged_into) VALUES (1, 2019, 1)")
        .execute(&mut conn)
        .await;
    assert!(refused.is_err());
    conn.close().await.unwrap();
}
