//! The demo data, loaded into a real SQLite file and ranked by `thidua_domain`.

use thidua_domain::award_types::{Eligibility, VoteThreshold};

use thidua_domain::ranking::TieOutcome;
use thidua_domain::tally::{flagged, Broken};
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
async fn the_2018_tally_derives_exactly_the_real_proposals() {
    let dir = tempfile::tempdir().unwrap();
    let db = db::connect(&format!("sqlite://{}", dir.path().join("seed.sqlite3").display())).await.unwrap();
    assert!(seed::load_demo(&db).await.unwrap());
    let mut conn = db.acquire().await.unwrap();
    let bloc = store::blocs(&mut conn, seed::YEAR).await.unwrap()[0].id;
    let results = store::results(&mut conn, seed::YEAR, bloc).await.unwrap();
    assert!(results.published, "2018 is published");

    // Derived by the domain from the tally and the 2018 rules, not stored.
    let groups: Vec<(&str, Vec<&str>)> = results
        .awards
        .iter()
        .map(|g| (g.award_type.code.as_str(), g.units.iter().map(|u| u.unit.name.as_str()).collect()))
        .collect();
    assert_eq!(
        groups,
        [
            ("co_chinh_phu", vec!["Sở Y tế"]),
            ("co_ubnd_tinh", vec!["Sở Giáo dục và Đào tạo", "Sở Lao động - Thương binh và Xã hội"]),
            ("bang_khen_chu_tich_ubnd_tinh", vec!["Sở Văn hóa, Thể thao và Du lịch", "Bảo hiểm xã hội tỉnh"]),
        ]
    );
    let tally = results.tally.as_ref().expect("2018 has a tally");
    assert_eq!((tally.voters_present, tally.votes.len()), (14, 8));
    // Đài PT-TH's 7 of 14 are exactly half: not more than half.
    let dai = results.candidates.iter().find(|c| c.unit_id == results.ranking[5].unit.id).unwrap();
    assert_eq!(results.ranking[5].unit.name, "Đài Phát thanh và Truyền hình tỉnh");
    assert!(!dai.proposed);
    assert!(matches!(dai.broken[0].broken, Broken::Threshold { votes: 7, voters: 14, .. }), "{:?}", dai.broken);
    // No rule is flagged for staff: the quota was never exceeded by eligible candidates.
    assert_eq!(flagged(&results.candidates).count(), 0);
    assert!(results.awards.iter().flat_map(|g| &g.units).all(|u| u.decision.is_none() && u.override_reason.is_none()));

    // 2019: same rules, no tally, not published.
    let r2019 = store::results(&mut conn, seed::YEAR_IN_PROGRESS, bloc).await.unwrap();
    assert!(!r2019.published && r2019.tally.is_none() && r2019.candidates.is_empty());
    let rules = |r: &thidua_domain::results::BlocResults| {
        r.award_types.iter().map(|t| (t.code.clone(), t.eligibility.clone(), t.threshold)).collect::<Vec<_>>()
    };
    assert_eq!(rules(&r2019), rules(&results));
    assert_eq!(results.award_types[0].eligibility, [Eligibility::MaxRank { rank: 1 }, Eligibility::ApprovedSheet]);
    assert!(results.award_types.iter().all(|t| t.exclusive && t.threshold == VoteThreshold::MORE_THAN_HALF));
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
