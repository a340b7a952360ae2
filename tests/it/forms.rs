//! The shared form field (`m::field`): every form built with it keeps what its inputs tell a
//! browser and a screen reader: the password manager's hints, what is required, how long a
//! name may be, and which message describes a refused input.

use crate::harness::*;
use axum::http::StatusCode;
use plantrack::domain::plan::Role;
use scraper::{Html, Selector};

/// The attributes of the element `selector` selects, as `name=value` (value-less ones bare).
fn attrs(html: &Html, selector: &str) -> Vec<String> {
    let element = html
        .select(&Selector::parse(selector).unwrap())
        .next()
        .unwrap_or_else(|| panic!("no {selector}"));
    let mut all: Vec<String> = element
        .value()
        .attrs()
        .map(|(k, v)| {
            if v.is_empty() && k != "value" {
                k.to_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    all.sort();
    all
}

#[tokio::test]
async fn sign_in_inputs_keep_their_hints_and_point_at_the_refusal() {
    let db = TestDb::seeded().await;
    let mut client = Client::new(db.app());
    let form = client.get("/login").await;
    assert_eq!(
        attrs(&form.html(), "#username"),
        [
            "autocapitalize=none",
            "autocomplete=username",
            "id=username",
            "maxlength=64",
            "name=username",
            "required",
            "spellcheck=false",
            "type=text",
            "value=",
        ]
    );
    // A password is never written into the page.
    assert_eq!(
        attrs(&form.html(), "#password"),
        [
            "autocomplete=current-password",
            "id=password",
            "name=password",
            "required",
            "type=password",
        ]
    );
    assert_eq!(form.text("label[for=username]"), "User name");

    // A wrong password: both inputs are described by the message above the form.
    db.user("ana", Role::Analyst).await;
    let wrong = client.login("ana", "not-her-password").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let html = wrong.html();
    for input in ["#username", "#password"] {
        let a = attrs(&html, input);
        assert!(
            a.contains(&"aria-describedby=login-error".to_owned()),
            "{a:?}"
        );
        assert!(!a.iter().any(|a| a.starts_with("aria-invalid")), "{a:?}");
    }
    assert!(attrs(&html, "#username").contains(&"value=ana".to_owned()));

    // An over-long name: that input is invalid and described by its own message only.
    let long = client
        .post(
            "/login",
            &[
                ("username", &"n".repeat(65)),
                ("password", "x"),
                ("next", "/"),
            ],
        )
        .await;
    assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = attrs(&long.html(), "#username");
    assert!(a.contains(&"aria-invalid=true".to_owned()), "{a:?}");
    assert!(
        a.contains(&"aria-describedby=username-error".to_owned()),
        "{a:?}"
    );
    assert!(long.text("#username-error").contains("64"));
}

#[tokio::test]
async fn refused_password_change_and_new_user_forms_mark_each_refused_input() {
    let db = TestDb::seeded().await;
    let mut admin = db.signed_in("adele", Role::Admin).await;
    admin.get("/account/password").await;
    let refused = admin
        .post(
            "/account/password",
            &[("current", ""), ("new", "short"), ("again", "")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    assert_eq!(
        attrs(&html, "#current"),
        [
            "aria-describedby=current-error",
            "aria-invalid=true",
            "autocomplete=current-password",
            "id=current",
            "name=current",
            "required",
            "type=password",
        ]
    );
    let new = attrs(&html, "#new");
    assert!(
        new.contains(&"autocomplete=new-password".to_owned()),
        "{new:?}"
    );
    assert!(
        new.contains(&"aria-describedby=new-error".to_owned()),
        "{new:?}"
    );
    // `again` was not checked once `new` was refused.
    assert!(
        !attrs(&html, "#again")
            .iter()
            .any(|a| a.starts_with("aria-"))
    );
    assert!(!refused.text("#new-error").is_empty());

    admin.get("/admin/users").await;
    let refused = admin
        .post(
            "/admin/users",
            &[
                ("username", "adele"),
                ("display_name", "Adele again"),
                ("role", "analyst"),
                ("password", "a-long-enough-password"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.html();
    assert_eq!(
        attrs(&html, "#new-username"),
        [
            "aria-describedby=new-username-error",
            "aria-invalid=true",
            "autocomplete=off",
            "id=new-username",
            "name=username",
            "type=text",
            "value=adele",
        ]
    );
    assert_eq!(
        attrs(&html, "#new-display-name"),
        [
            "id=new-display-name",
            "name=display_name",
            "type=text",
            "value=Adele again",
        ]
    );
    assert!(!refused.text("#new-username-error").is_empty());
}
