//! `/awards/:year/:bloc/vote/minutes`: the counting minutes (biên bản kiểm phiếu) of a closed
//! vote, to print on A4 and sign: the committee, the voters present, the ballots issued and
//! received, per award type the valid and invalid parts and each unit's votes and share, the
//! proposals that follow, and the signature lines. In Vietnamese whatever the screen's
//! language (the paper is the conference's), with the numbers as the product computed them.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use thidua_domain::results::BlocResults;
use thidua_domain::vote::VoteSession;

use crate::api::{self, ApiError};
use crate::components::status::Loaded;
use crate::components::tally::base_text;
use crate::i18n::*;
use crate::pages::not_found::NotFound;
use crate::pages::params::bloc_params;
use crate::staff::api::vote as vote_api;
use crate::staff::components::vote::result::share;
use crate::text::tr;
use thidua_domain::thresholds::on_base;

#[component]
pub fn VoteMinutesPage() -> impl IntoView {
    let params = bloc_params();
    move || match params.get() {
        None => Either::Left(view! { <NotFound /> }),
        Some((year, bloc)) => {
            let data = LocalResource::new(move || async move {
                let session = vote_api::session(year, bloc).await?;
                let results = api::results(year, bloc).send().await?;
                Ok::<_, ApiError>((session, results))
            });
            Either::Right(view! {
                <Loaded resource=data page=true let:data><Minutes session=data.0 results=data.1 /></Loaded>
            })
        }
    }
}

#[component]
fn Minutes(session: VoteSession, results: BlocResults) -> impl IntoView {
    let names = super::vote::names(&results);
    let Some(result) = session.result.clone() else {
        return view! { <div class="page"><p class="lead" role="status">{tr(|l| td_string!(l, vote.minutes_not_closed))}</p></div> }
            .into_any();
    };
    let voters = result.voters_present;
    let cards = session.cards;
    let parts = result
        .count
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // The share the award type's threshold counts on (written opinions included on
            // the membership), so the signed figure is the one the rule judged.
            let base = results.award_types.iter().find(|t| t.id == s.award_type_id).map(|t| t.threshold.base);
            let base = base.unwrap_or_default();
            let tally = results.tally.clone().unwrap_or_default();
            let rows = s
                .votes
                .iter()
                .enumerate()
                .map(|(n, v)| {
                    let (votes, of) = on_base(&tally, base, v.unit_id, s.award_type_id, v.votes).unwrap_or((v.votes, voters));
                    view! {
                        <tr>
                            <td class="num">{n + 1}</td>
                            <td>{names.unit(v.unit_id)}</td>
                            <td class="num">{format!("{votes}/{of}")}</td>
                            <td class="num">{share(votes, of, Locale::vi)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let base_name = base_text(base, Locale::vi);
            view! {
                <h3>{format!("{}. {}", i + 1, names.award(s.award_type_id))}</h3>
                <p>{format!(
                    "Số phiếu hợp lệ: {} (trong đó để trống: {}); số phiếu không hợp lệ: {}.",
                    s.valid, s.blank, s.invalid
                )}</p>
                <table class="table minutes-table">
                    <thead><tr>
                        <th scope="col">"STT"</th><th scope="col">"Đơn vị"</th>
                        <th scope="col" class="num">"Số phiếu"</th><th scope="col" class="num">{format!("Tỷ lệ trên {base_name}")}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }
        })
        .collect_view();
    let proposals = results
        .awards
        .iter()
        .map(|group| {
            let units = group.units.iter().map(|u| u.unit.name.clone()).collect::<Vec<_>>().join("; ");
            view! { <li>{format!("{}: {units}", group.award_type.name)}</li> }
        })
        .collect_view();
    let committee = if session.committee.is_empty() { "…".to_owned() } else { session.committee.clone() };
    view! {
        <Title text=format!("Biên bản kiểm phiếu {}", results.year) />
        <div class="page minutes" lang="vi" data-testid="vote-minutes">
            <button type="button" class="button no-print" on:click=|_| { let _ = window().print(); }>
                {tr(|l| td_string!(l, vote.print))}
            </button>
            <div class="minutes__head">
                <p class="minutes__issuer">{results.bloc_name.to_uppercase()}<br />"BAN KIỂM PHIẾU"</p>
                <p class="minutes__motto">"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"<br /><span>"Độc lập - Tự do - Hạnh phúc"</span></p>
            </div>
            <h1>"BIÊN BẢN KIỂM PHIẾU"</h1>
            <p class="minutes__sub">{format!("Bỏ phiếu suy tôn khen thưởng năm {} — {}", results.year, results.bloc_name)}</p>
            <p>{format!("Ban kiểm phiếu gồm: {committee}.")}</p>
            <p>{format!(
                "Số đại biểu có mặt: {voters}. Thẻ bỏ phiếu điện thoại: in {}, dùng để bỏ phiếu {}, hủy {} (kể cả thẻ chưa dùng, hủy khi kết thúc). \
                 Số phiếu điện thoại nhận được: {}. Số phiếu giấy thu về: {}. Tổng số phiếu thu về: {}.",
                cards.issued, cards.cast, cards.voided, result.phone_ballots, result.paper_ballots, result.count.received
            )}</p>
            <p>{format!("Mẫu phiếu: {}. Cách xác định phiếu hợp lệ: {}", session.ballot_label, session.rules.legal_basis)}</p>
            <h2>"Kết quả kiểm phiếu"</h2>
            {parts}
            <h2>"Các đề nghị khen thưởng theo kết quả"</h2>
            <ul>{proposals}</ul>
            <p>"Kết quả do hệ thống tính từ các phiếu đã nhập và đã được hai thư ký đối chiếu khớp nhau."</p>
            <div class="minutes__signatures">
                <p><strong>"THƯ KÝ"</strong><br /><em>"(Ký, ghi rõ họ tên)"</em></p>
                <p><strong>"TRƯỞNG BAN KIỂM PHIẾU"</strong><br /><em>"(Ký, ghi rõ họ tên)"</em></p>
            </div>
        </div>
    }
    .into_any()
}
