//! Least privilege from code: the AWS calls a function's code makes, checked against the permissions its
//! role has.

pub mod calls;
pub mod grants;
pub mod managed;
pub mod sdk;
