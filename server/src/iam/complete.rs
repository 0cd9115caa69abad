//! Completion in policy text.
