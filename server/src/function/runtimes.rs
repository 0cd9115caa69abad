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
}
