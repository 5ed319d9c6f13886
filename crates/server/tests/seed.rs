//! The demo data, loaded into a real SQLite file and ranked by `thidua_domain`.

use thidua_domain::ranking::TieOutcome;
use thidua_server::{db, seed, store};

#[tokio::test]
async fn demo_ranking_follows_the_real_proposals() {
    let dir = tempfile::tempdir().unwrap();
    let db = db::connect(&format!("sqlite://{}", dir.path().join("seed.sqlite3").display())).await.unwrap();
    assert!(seed::load_demo(&db).await.unwrap(), "an empty database gets the demo");

    let mut conn = db.acquire().await.unwrap();
    let blocs = store::blocs(&mut conn, seed::YEAR).await.unwrap();
    assert_eq!(blocs.len(), 1);
    let results = store::results(&mut conn, seed::YEAR, blocs[0].id).await.unwrap();

    let ranking: Vec<(u32, &str)> = results.ranking.iter().map(|r| (r.rank, r.unit.name.as_str())).collect();
    assert_eq!(
        ranking,
        [
            (1, "Sở Y tế"),
            (2, "Sở Giáo dục và Đào tạo"),
            (3, "Sở Lao động - Thương binh và Xã hội"),
            (4, "Sở Văn hóa, Thể thao và Du lịch"),
            (5, "Bảo hiểm xã hội tỉnh"),
            (6, "Đài Phát thanh và Truyền hình tỉnh"),
            (7, "Trung tâm Hành chính công tỉnh"),
        ]
    );
    // Ranks 4 and 5 are level on the total; the year's rule (section order) decided on section I.
    assert_eq!(results.ranking[3].total, results.ranking[4].total);
    let decided = Some(TieOutcome::DecidedBySection { section_index: 0 });
    assert_eq!((results.ranking[3].tie, results.ranking[4].tie), (decided, decided));
    assert!(results.ranking.iter().enumerate().all(|(i, r)| (i == 3 || i == 4) == r.tie.is_some()));
    // The criteria table the domain saw is well formed and worth 100.
    let table = store::criteria_table(&mut conn, seed::YEAR, blocs[0].id, results.bonus_cap).await.unwrap();
    assert!(table.validate().is_empty(), "{:?}", table.validate());
    assert_eq!(
        table.criteria.iter().map(|c| c.code.as_str()).collect::<Vec<_>>(),
        ["I", "1.1", "1.2", "1.3", "1.4", "II", "2.1", "2.2", "III", "IV", "V", "5.1", "5.2"]
    );
    // The awards follow the ranking: each proposed unit ranks above every unit of a lower award.
    let proposed: Vec<Vec<&str>> =
        results.awards.iter().map(|g| g.units.iter().map(|u| u.unit.name.as_str()).collect()).collect();
    assert_eq!(proposed.concat(), ranking[..5].iter().map(|(_, name)| *name).collect::<Vec<_>>());
}

#[tokio::test]
async fn demo_loads_only_into_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = db::connect(&format!("sqlite://{}", dir.path().join("seed.sqlite3").display())).await.unwrap();
    assert!(seed::load_demo(&db).await.unwrap());
    assert!(!seed::load_demo(&db).await.unwrap(), "a second load does nothing");
    let units: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(&db).await.unwrap();
    assert_eq!(units, 7);
}
