//! Integration tests: the site, the API, the seed loader and the embedded cluster, against a
//! real PostgreSQL.

mod access;
mod api;
mod attention;
mod browser;
mod caching;
mod charts;
mod cluster;
mod conventions;
mod entry_form;
mod forms;
mod hardening;
mod harness;
mod hostile_files;
mod instances;
mod items;
mod language;
mod mail;
mod nav_counts;
mod openapi;
mod opendata;
mod pages;
mod plan_admin;
mod plausibility;
mod reports;
mod resilience;
mod review_page;
mod search;
mod seeding;
mod signin;
mod smtp;
mod soak;
mod supervision;
mod target_kinds;
mod verdicts;
mod workflow;
