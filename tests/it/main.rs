//! Integration tests: the site, the API, the seed loader and the embedded cluster, against a
//! real PostgreSQL.

mod access;
mod api;
mod cluster;
mod harness;
mod openapi;
mod opendata;
mod pages;
mod seeding;
mod workflow;
