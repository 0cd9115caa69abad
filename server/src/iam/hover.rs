//! Hover in policy text.
