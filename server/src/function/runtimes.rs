//! The embedded runtime catalogue: every runtime identifier with its lifecycle dates and successor
//! (`server/data/lambda/runtimes.json`, rebuilt by `server/data/lambda/update.py`).

use crate::date::Date;
use std::sync::OnceLock;

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Runtime {
    pub id: String,
    pub family: String,
    pub in_api: bool,
    pub in_cloudformation: bool,
    pub deprecated: Option<String>,
    pub create_block: Option<String>,
    pub update_block: Option<String>,
    pub successor: Option<String>,
}

impl Runtime {
    pub fn deprecated_on(&self) -> Option<Date> {
        self.deprecated.as_deref().and_then(Date::parse)
    }
    pub fn create_block_on(&self) -> Option<Date> {
        self.create_block.as_deref().and_then(Date::parse)
    }
    pub fn update_block_on(&self) -> Option<Date> {
        self.update_block.as_deref().and_then(Date::parse)
    }
}

/// Where a runtime stands on a given date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Supported,
    /// In the API but without lifecycle dates yet (a new runtime, or an OS-only variant).
    Unconfirmed,
    Deprecated,
    CreateBlocked,
    UpdateBlocked,
}

impl Runtime {
    pub fn status(&self, today: Date) -> Status {
        let past = |d: Option<Date>| d.is_some_and(|d| d <= today);
        if past(self.update_block_on()) {
            Status::UpdateBlocked
        } else if past(self.create_block_on()) {
            Status::CreateBlocked
        } else if past(self.deprecated_on()) {
            Status::Deprecated
        } else if self.deprecated.is_none() {
            Status::Unconfirmed
        } else {
            Status::Supported
        }
    }

    /// Whether Lambda offers it as a managed runtime at all.
    pub fn offered(&self) -> bool {
        self.in_api || self.in_cloudformation
    }

    /// The version numbers in the identifier (`python3.14` → 3, 14; `provided.al2023` → 2023).
    fn version(&self) -> Vec<u32> {
        self.id
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect()
    }

    fn family_rank(&self) -> usize {
        [
            "python", "nodejs", "java", "dotnet", "ruby", "provided", "go",
        ]
        .iter()
        .position(|f| *f == self.family)
        .unwrap_or(9)
    }

    /// One line: where the runtime stands and what comes next.
    pub fn lifecycle_line(&self, today: Date) -> String {
        let d = |s: &Option<String>| s.clone().unwrap_or_else(|| "?".into());
        match self.status(today) {
            Status::Supported => format!("supported · deprecated from {}", d(&self.deprecated)),
            Status::Unconfirmed => "supported · no deprecation date announced".to_string(),
            Status::Deprecated => format!(
                "deprecated since {} · create blocked {} · update blocked {}",
                d(&self.deprecated),
                d(&self.create_block),
                d(&self.update_block)
            ),
            Status::CreateBlocked => format!(
                "retired: create blocked since {} · update blocked {}",
                d(&self.create_block),
                d(&self.update_block)
            ),
            Status::UpdateBlocked => {
                format!("retired: update blocked since {}", d(&self.update_block))
            }
        }
    }

    /// Markdown for hovers and completion documentation.
    pub fn markdown(&self, today: Date) -> String {
        let mut out = format!(
            "**{}** — {} runtime\n\n",
            self.id,
            family_name(&self.family)
        );
        let status = match self.status(today) {
            Status::Supported | Status::Unconfirmed => "supported",
            Status::Deprecated => "deprecated (no more security patches)",
            Status::CreateBlocked => "retired: new functions cannot be created",
            Status::UpdateBlocked => "retired: functions can no longer be created or updated",
        };
        out.push_str(&format!("Status on {today}: **{status}**\n\n"));
        if self.deprecated.is_some() {
            out.push_str("| | |\n|---|---|\n");
            for (label, date) in [
                ("Deprecation", &self.deprecated),
                ("Block function create", &self.create_block),
                ("Block function update", &self.update_block),
            ] {
                if let Some(d) = date {
                    out.push_str(&format!("| {label} | {d} |\n"));
                }
            }
            out.push('\n');
        } else {
            out.push_str("No deprecation date announced yet.\n\n");
        }
        if let Some(s) = &self.successor {
            out.push_str(&format!("Successor: `{s}`\n\n"));
        }
        if !self.offered() {
            out.push_str("Not offered as a managed runtime (container images only).\n\n");
        }
        out.push_str("_Lifecycle data: cfn-lint `LmbdRuntimeLifecycle.json`, embedded._");
        out
    }
}

fn family_name(family: &str) -> &str {
    match family {
        "python" => "Python",
        "nodejs" => "Node.js",
        "java" => "Java",
        "dotnet" => ".NET",
        "ruby" => "Ruby",
        "provided" => "OS-only (custom runtime)",
        "go" => "Go",
        other => other,
    }
}

/// The runtimes Lambda offers, the usable ones first, each family newest first.
pub fn newest_first(today: Date) -> Vec<&'static Runtime> {
    let mut list: Vec<&Runtime> = all()
        .iter()
        .filter(|r| r.offered() && r.id != "custom")
        .collect();
    list.sort_by_key(|r| {
        let usable = matches!(r.status(today), Status::Supported | Status::Unconfirmed);
        (
            !usable,
            r.status(today),
            r.family_rank(),
            std::cmp::Reverse(r.version()),
            r.id.clone(),
        )
    });
    list
}

#[derive(serde::Deserialize)]
struct File {
    runtimes: Vec<Runtime>,
}

static DATA: &str = include_str!("../../data/lambda/runtimes.json");

pub fn all() -> &'static [Runtime] {
    static RUNTIMES: OnceLock<Vec<Runtime>> = OnceLock::new();
    RUNTIMES.get_or_init(|| {
        serde_json::from_str::<File>(DATA)
            .map(|f| f.runtimes)
            .unwrap_or_default()
    })
}

pub fn get(id: &str) -> Option<&'static Runtime> {
    all().iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_data_loads() {
        assert!(super::all().len() >= 50);
        assert!(super::get("python3.12").is_some());
    }

    #[test]
    fn newest_first_and_usable_first() {
        let today = crate::date::Date::parse("2026-11-27").unwrap_or(crate::date::Date {
            year: 2026,
            month: 11,
            day: 27,
        });
        let ids: Vec<&str> = super::newest_first(today)
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        let pos = |id: &str| ids.iter().position(|i| *i == id).unwrap_or(usize::MAX);
        assert!(pos("python3.14") < pos("python3.13"));
        assert!(pos("nodejs24.x") < pos("nodejs22.x"));
        assert!(
            pos("nodejs22.x") < pos("nodejs20.x"),
            "deprecated after supported"
        );
        assert!(pos("nodejs20.x") < pos("python2.7"), "retired last");
        assert!(
            !ids.contains(&"dotnet9"),
            "never offered as a managed runtime"
        );
        let py = super::get("python3.12")
            .map(|r| r.lifecycle_line(today))
            .unwrap_or_default();
        assert_eq!(py, "supported · deprecated from 2028-10-31");
    }
}
