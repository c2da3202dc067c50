use super::*;

fn school() -> SchoolFacts {
    SchoolFacts {
        id: 1,
        name: "Hillside Primary".into(),
        phase: Phase::Primary,
        la_name: "Plymouth".into(),
        trust: "Estuary Trust".into(),
        category: Category::C,
    }
}

fn cand(id: i64, d: Designation, specialisms: &[&str], available: f64) -> Candidate {
    Candidate {
        id,
        name: format!("Leader {id}"),
        designation: d,
        specialisms: specialisms.iter().map(|s| s.to_string()).collect(),
        active: true,
        available,
        home: Some((100 + id, Phase::Primary, "Plymouth".into(), String::new())),
        home_standing: None,
        track: vec![],
    }
}

fn past(focus: &str, rag: Rag) -> Past {
    Past { focus: focus.into(), rag: Some(rag), outcome: None }
}

#[test]
fn a_specialist_with_days_beats_a_generalist_on_every_other_count() {
    // The generalist has everything else: NLE, all green, more days, same phase and LA.
    let mut nle = cand(1, Designation::Nle, &["Leadership"], 30.0);
    nle.track = vec![past("Maths", Rag::Green), past("Maths", Rag::Green)];
    let mut sle = cand(2, Designation::Sle, &["Numeracy"], 1.0);
    sle.home = None;
    let ranked = rank(&school(), "Mathematics", Some(6.0), &[nle, sle]);
    assert_eq!(ranked[0].leader_id, 2, "{ranked:#?}");
    assert!(ranked[0].covers && !ranked[1].covers);
}

#[test]
fn synonyms_and_english_cover_its_parts() {
    let ranked = rank(
        &school(),
        "Phonics",
        None,
        &[cand(1, Designation::Sle, &["Science"], 10.0), cand(2, Designation::Other, &["English"], 2.0)],
    );
    assert_eq!(ranked[0].leader_id, 2);
    assert!(ranked[0].reasons[0].starts_with("+60 specialism `English` covers phonics"), "{:?}", ranked[0].reasons);
    // …but a phonics specialist covers only part of an English focus.
    let ranked = rank(&school(), "English", None, &[cand(1, Designation::Sle, &["Phonics"], 10.0)]);
    assert!(!ranked[0].covers);
}

#[test]
fn a_key_stage_alone_is_not_a_match() {
    let ranked = rank(
        &school(),
        "KS2 maths",
        Some(4.0),
        &[cand(1, Designation::Sle, &["KS2 writing"], 15.0), cand(2, Designation::Sle, &["Maths"], 3.0)],
    );
    assert_eq!(ranked[0].leader_id, 2);
    assert!(!ranked[1].covers);
    assert!(ranked[1].reasons.iter().any(|r| r == "+0 no specialism covers the focus"), "{:?}", ranked[1].reasons);
}

#[test]
fn the_schools_key_stage_prefers_the_matching_specialism() {
    let ks3 = cand(1, Designation::Sle, &["KS3 maths"], 10.0);
    let ks2 = cand(2, Designation::Sle, &["KS2 maths"], 10.0);
    let ranked = rank(&school(), "maths", Some(5.0), &[ks3.clone(), ks2.clone()]);
    assert_eq!(ranked[0].leader_id, 2);
    assert_eq!(ranked[0].score - ranked[1].score, STAGE_MATCH - STAGE_OTHER);
    assert!(ranked[1].reasons.iter().any(|r| r.contains("but at KS3 not EYFS–KS2")), "{:?}", ranked[1].reasons);
    let mut sec = school();
    sec.phase = Phase::Secondary;
    sec.name = "Harbour College".into();
    assert_eq!(rank(&sec, "maths", Some(5.0), &[ks3, ks2])[0].leader_id, 1);
}

#[test]
fn designation_counts_only_for_its_own_kind_of_work() {
    let sle_other = cand(1, Designation::Sle, &["Science"], 10.0);
    let sle_own = cand(2, Designation::Sle, &["Writing"], 10.0);
    let nle = cand(3, Designation::Nle, &["Writing"], 10.0);
    let ranked = rank(&school(), "KS1 writing", None, &[sle_other, sle_own, nle]);
    let of = |id| ranked.iter().find(|r| r.leader_id == id).expect("ranked");
    assert!(of(2).reasons.iter().any(|r| r == "+15 SLE in their own specialism"));
    assert!(!of(1).reasons.iter().any(|r| r.contains("SLE")), "no SLE bonus outside their specialism");
    assert!(!of(3).reasons.iter().any(|r| r.contains("NLE")), "no NLE bonus for a subject focus");
    let ranked = rank(&school(), "Governance", None, &[cand(4, Designation::Nlg, &["Governance"], 5.0)]);
    assert!(ranked[0].reasons.iter().any(|r| r == "+20 NLG for a governance focus"));
}

#[test]
fn category_d_keeps_the_focus_and_shows_leadership_experience_apart() {
    let mut d = school();
    d.category = Category::D;
    let nle = cand(1, Designation::Nle, &["Leadership"], 10.0);
    let maths = cand(2, Designation::Sle, &["Maths"], 10.0);
    let ranked = rank(&d, "Maths", None, &[nle, maths]);
    assert_eq!(ranked[0].leader_id, 2, "category D does not turn maths into leadership");
    assert!(ranked[1].reasons.iter().any(|r| r == "+10 NLE leadership experience for a category D school"));
    assert!(!ranked[1].reasons.iter().any(|r| r.contains("leadership focus")));
}

#[test]
fn management_in_another_area_is_not_leadership() {
    let ranked = rank(
        &school(),
        "Behaviour management",
        None,
        &[cand(1, Designation::Nle, &["Leadership"], 20.0), cand(2, Designation::Other, &["Behaviour"], 2.0)],
    );
    assert_eq!(ranked[0].leader_id, 2);
    assert!(!ranked[1].reasons.iter().any(|r| r.contains("leadership focus")));
}

#[test]
fn track_record_counts_only_overlapping_work_and_close_outs_outweigh_rag() {
    let mut a = cand(1, Designation::Sle, &["Maths"], 10.0);
    a.track = vec![past("Science", Rag::Red), past("Science", Rag::Red), past("KS2 numeracy", Rag::Green)];
    let ranked = rank(&school(), "Maths", None, std::slice::from_ref(&a));
    assert!(
        ranked[0].reasons.iter().any(|r| r == "+15 track record in this work: 1 met or green, 0 not met or red of 1"),
        "{:?}",
        ranked[0].reasons
    );
    a.track = vec![Past { focus: "Maths".into(), rag: Some(Rag::Green), outcome: Some(Outcome::NotMet) }];
    let ranked = rank(&school(), "Maths", None, &[a]);
    assert!(ranked[0].reasons.iter().any(|r| r.starts_with("-15 track record")), "{:?}", ranked[0].reasons);
}

#[test]
fn exclusions_carry_their_reason_and_come_last() {
    let mut same_school = cand(1, Designation::Nle, &["Leadership"], 20.0);
    same_school.home = Some((1, Phase::Primary, "Plymouth".into(), String::new()));
    let mut same_trust = cand(2, Designation::Lle, &["Leadership"], 20.0);
    same_trust.home = Some((50, Phase::Primary, "Plymouth".into(), "estuary trust".into()));
    let mut inactive = cand(3, Designation::Nle, &["Leadership"], 20.0);
    inactive.active = false;
    let mut struggling = cand(5, Designation::Nle, &["Leadership"], 20.0);
    struggling.home_standing = Some("home school Gorse Primary is urgent: category D".into());
    let ok = cand(4, Designation::Sle, &["Phonics"], 1.0);
    let ranked = rank(&school(), "Leadership", Some(4.0), &[same_school, same_trust, inactive, struggling, ok]);
    assert_eq!(ranked[0].leader_id, 4, "the only deployable leader comes first");
    let why: Vec<_> = ranked.iter().filter_map(|r| r.excluded.clone()).collect();
    assert!(why.contains(&"conflict of interest: works at the supported school".to_string()));
    assert!(why.contains(&"conflict of interest: home school is in the same trust (estuary trust)".to_string()));
    assert!(why.contains(&"not active".to_string()));
    assert!(why.contains(&"home school Gorse Primary is urgent: category D".to_string()));
}

#[test]
fn a_specialist_ranks_first_even_when_the_generalist_scores_more() {
    // Covering the focus puts a leader with days ahead whatever the other points say.
    let mut d = school();
    d.category = Category::D;
    let mut nle = cand(1, Designation::Nle, &["Leadership"], 30.0);
    nle.track = vec![past("Science", Rag::Green)];
    let mut sle = cand(2, Designation::Other, &["Science"], 0.5);
    sle.home = None;
    let ranked = rank(&d, "Science and leadership", Some(10.0), &[nle, sle]);
    // Neither covers both areas: the order is by score.
    assert!(!ranked[0].covers && !ranked[1].covers);
    let ranked = rank(&d, "Science", Some(10.0), &[ranked_input(1), ranked_input(2)]);
    assert_eq!(ranked[0].leader_id, 2, "{ranked:#?}");
    assert!(ranked[1].score > ranked[0].score, "the order is by fit, not by score alone: {ranked:#?}");
}

fn ranked_input(id: i64) -> Candidate {
    if id == 1 {
        let mut nle = cand(1, Designation::Nle, &["Leadership"], 30.0);
        nle.track = vec![past("Science", Rag::Green)];
        nle
    } else {
        let mut other = cand(2, Designation::Other, &["Science"], 0.5);
        other.home = None;
        other
    }
}

#[test]
fn reasons_are_sorted_by_weight_and_add_up_to_the_score() {
    let ranked = rank(&school(), "KS1 writing", Some(6.0), &[cand(2, Designation::Sle, &["KS1 writing"], 10.0)]);
    let r = &ranked[0];
    let points: Vec<i64> =
        r.reasons.iter().map(|l| l.split(' ').next().and_then(|p| p.parse().ok()).expect("points")).collect();
    assert_eq!(points.iter().sum::<i64>(), r.score);
    assert!(points.windows(2).all(|w| w[0].abs() >= w[1].abs()), "{points:?}");
    // 60 covers + 15 KS1 + 20 days + 15 phase + 15 SLE + 10 LA
    assert_eq!(r.score, 135);
}

#[test]
fn an_unknown_focus_matches_only_its_own_words() {
    let ranked = rank(
        &school(),
        "Forest school",
        None,
        &[
            cand(1, Designation::Sle, &["School improvement"], 10.0),
            cand(2, Designation::Other, &["forest school"], 1.0),
        ],
    );
    assert_eq!(ranked[0].leader_id, 2);
    assert!(ranked[0].covers && !ranked[1].covers);
}
